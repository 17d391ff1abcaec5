"""News: review before publishing, scheduled publishing of the approved text, personal-data
warnings, computed figures, withdrawal, the Atom feed and the home page."""

import io
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from PIL import Image

from activities import services
from activities.models import Article, ArticlePhoto, body_blocks
from culturecenter import roles
from feedback.models import Evaluation
from tests.conftest import make_event, make_staff, make_villager, sign_up

pytestmark = pytest.mark.django_db


def make_article(*, author=None, title="延时开放到21:00", slug="summer-evenings", status="draft", **fields):
    article = Article.objects.create(
        title=title,
        slug=slug,
        summary=fields.pop("summary", "暑期每天开放到晚上九点。"),
        body=fields.pop("body", "## 晚上也能来\n\n暑期每天开放到21:00。\n欢迎大家。"),
        created_by=author,
        status=status,
        **fields,
    )
    return article


def published(**fields):
    from culturecenter.models import User

    reviewer = User.objects.filter(username="second-reviewer").first() or make_staff("second-reviewer", roles.REVIEWER)
    article = make_article(**fields)
    services.article_submit(article=article, by=article.created_by)
    services.article_approve(article=article, by=reviewer)
    article.refresh_from_db()
    return article


@pytest.fixture
def author(db):
    return make_staff("author", roles.STAFF)


def test_author_submits_and_another_reviewer_publishes(author, reviewer, client):
    article = make_article(author=author)
    assert client.get("/news/summer-evenings/").status_code == 404
    services.article_submit(article=article, by=author)
    services.article_approve(article=article, by=reviewer, opinion="可以发")
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    page = client.get("/news/summer-evenings/").content.decode()
    assert "延时开放到21:00" in page and "晚上也能来" in page
    assert [s.action for s in article.steps.all()] == ["submitted", "approved", "published"]


def test_the_author_never_approves_their_own_article(db):
    writer = make_staff("writer", roles.REVIEWER)
    article = make_article(author=writer)
    services.article_submit(article=article, by=writer)
    with pytest.raises(services.ActivityError, match="作者不能批准"):
        services.article_approve(article=article, by=writer)


def test_staff_without_the_reviewer_role_cannot_approve(author):
    colleague = make_staff("colleague", roles.STAFF)
    article = make_article(author=author)
    services.article_submit(article=article, by=author)
    with pytest.raises(services.ActivityError, match="只有审核人"):
        services.article_approve(article=article, by=colleague)


def test_returning_needs_a_reason_and_lets_the_author_submit_again(author, reviewer):
    article = make_article(author=author)
    services.article_submit(article=article, by=author)
    with pytest.raises(services.ActivityError):
        services.article_return(article=article, by=reviewer, opinion=" ")
    services.article_return(article=article, by=reviewer, opinion="照片说明不全")
    article.refresh_from_db()
    assert article.status == Article.Status.RETURNED
    services.article_submit(article=article, by=author)
    article.refresh_from_db()
    assert article.status == Article.Status.SUBMITTED


def test_a_scheduled_article_is_published_by_the_command_when_due(author, reviewer, client):
    at = timezone.now() + timedelta(hours=2)
    article = make_article(author=author, publish_at=at)
    services.article_submit(article=article, by=author)
    services.article_approve(article=article, by=reviewer)
    article.refresh_from_db()
    assert article.status == Article.Status.APPROVED
    call_command("publish_news", stdout=io.StringIO())
    assert client.get("/news/").content.decode().count("延时开放到21:00") == 0
    assert services.news_publish_due(now=at + timedelta(minutes=1)) == (1, 0)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.published_at == at


def test_text_changed_after_approval_goes_back_to_review_instead_of_out(author, reviewer):
    at = timezone.now() + timedelta(hours=2)
    article = make_article(author=author, publish_at=at)
    services.article_submit(article=article, by=author)
    services.article_approve(article=article, by=reviewer)
    Article.objects.filter(pk=article.pk).update(body="改过的正文，未经审核。")
    assert services.news_publish_due(now=at + timedelta(minutes=1)) == (0, 1)
    article.refresh_from_db()
    assert article.status == Article.Status.SUBMITTED
    assert article.steps.last().action == "reopened"


def test_editing_a_published_article_in_the_admin_takes_it_off_the_news(author, client):
    article = published(author=author)
    client.force_login(author)
    form = client.get(f"/admin/activities/article/{article.pk}/change/")
    assert form.status_code == 200
    data = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": "这段正文在批准后被改了。",
        "publish_at_0": "",
        "publish_at_1": "",
        "expires_at_0": "",
        "expires_at_1": "",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        "steps-TOTAL_FORMS": "0",
        "steps-INITIAL_FORMS": "0",
    }
    response = client.post(f"/admin/activities/article/{article.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    article.refresh_from_db()
    assert article.status == Article.Status.SUBMITTED
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "延时开放" not in client.get("/news/").content.decode()


@pytest.mark.parametrize(
    "text",
    ["联系电话 138 0013 8000", "电话：１３９００１３９０００", "身份证号110109198001011234", "110109200105052345"],
)
def test_mobile_and_id_numbers_are_flagged_before_submitting(author, text):
    article = make_article(author=author, body=f"报名请找王老师。{text}")
    assert services.personal_data_warnings(article)
    with pytest.raises(services.ActivityError):
        services.article_submit(article=article, by=author)
    services.article_submit(article=article, by=author, warnings_read=True)
    assert "confirmed" in article.steps.get().opinion or "确认" in article.steps.get().opinion


def test_dates_and_times_are_not_taken_for_phone_numbers(author):
    article = make_article(author=author, body="2024年7月15日起每天9:00—21:00开放，共42个小时。")
    assert services.personal_data_warnings(article) == []


def _jpeg():
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(out, "JPEG")
    return out.getvalue()


def test_photos_of_minors_without_consent_are_flagged(author):
    article = make_article(author=author)
    photo = ArticlePhoto.objects.create(
        article=article, image=SimpleUploadedFile("kids.jpg", _jpeg()), shows_minors=True
    )
    assert any("consent" in w or "同意" in w for w in services.personal_data_warnings(article))
    photo.consent_recorded = True
    photo.save()
    assert services.personal_data_warnings(article) == []


def test_the_article_shows_figures_computed_from_the_events(author, client):
    event = make_event(starts_in=-timedelta(days=2))
    other = make_event(title="剪纸下乡", starts_in=-timedelta(days=1))
    wang = make_villager()
    li = make_villager(name="李秀兰", village="huangantuo")
    for e in (event, other):
        sign_up(e, wang, checked_in_at=timezone.now())
    sign_up(other, li, checked_in_at=timezone.now())
    sign_up(event, make_villager(name="未到"))  # signed up, never came: not counted
    Evaluation.objects.create(event=event, member=wang, rating=5)
    Evaluation.objects.create(event=other, member=li, rating=3)
    article = published(author=author)
    article.events.set([event, other])
    figures = services.article_figures([event.pk, other.pk])
    assert (figures.check_ins, figures.people) == (3, 2)
    assert [str(v) for v in figures.villages] == ["Xiaqingshui", "Huangantuo"] or len(figures.villages) == 2
    page = client.get(article.get_absolute_url()).content.decode()
    assert "50%" in page and "剪纸下乡" in page


def test_withdrawn_article_says_so_instead_of_vanishing(author, reviewer, client):
    article = published(author=author, title="闭馆通知", slug="closure", expires_at=timezone.now() + timedelta(days=3))
    services.article_withdraw(article=article, by=reviewer, reason="维修提前完成，照常开放")
    page = client.get("/news/closure/").content.decode()
    assert "维修提前完成，照常开放" in page and "闭馆通知" in page
    assert "闭馆通知" not in client.get("/news/").content.decode()


def test_an_expired_notice_leaves_the_list_and_its_page_says_it_expired(author, client):
    article = published(author=author, title="闭馆通知", slug="closure", expires_at=timezone.now() + timedelta(days=1))
    Article.objects.filter(pk=article.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert "闭馆通知" not in client.get("/news/").content.decode()
    assert client.get("/news/closure/").status_code == 200


def test_news_text_is_escaped_and_headings_and_paragraphs_are_kept(author, client):
    published(author=author, body='## 标题<script>x</script>\n\n第一段<b>粗</b>\n\n第二段 <img src=x onerror="a()">')
    page = client.get("/news/summer-evenings/").content.decode()
    assert "<script>x" not in page and "<b>粗" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page
    assert body_blocks("## 头\n\n一\n二\n\n三") == [("heading", "头"), ("paragraph", "一\n二"), ("paragraph", "三")]


def test_feed_is_valid_atom_listing_only_published_articles(author, client):
    published(author=author)
    make_article(author=author, title="草稿不出去", slug="draft")
    response = client.get("/news/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [entry.find("a:title", ns).text for entry in root.findall("a:entry", ns)]
    assert titles == ["延时开放到21:00"]


def test_home_page_shows_the_latest_three_articles(author, client):
    for n in range(4):
        published(author=author, title=f"新闻{n}", slug=f"n{n}")
    page = client.get("/").content.decode()
    assert "新闻3" in page and "新闻1" in page and "新闻0" not in page


def test_villagers_and_visitors_cannot_reach_drafts_or_the_review_page(author, villager_client):
    article = make_article(author=author)
    assert villager_client.get(article.get_absolute_url()).status_code == 404
    assert villager_client.get(f"/news/review/{article.pk}/").status_code == 403
    assert Client().get(f"/news/review/{article.pk}/").status_code == 302
    staff = Client()
    staff.force_login(author)
    assert staff.get(article.get_absolute_url()).status_code == 200


def test_submitting_through_the_review_page_asks_to_read_the_warnings(author, client):
    article = make_article(author=author, body="联系13800138000")
    client.force_login(author)
    client.post(f"/news/review/{article.pk}/", {"action": "submit"})
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    client.post(f"/news/review/{article.pk}/", {"action": "submit", "warnings_read": "on"})
    article.refresh_from_db()
    assert article.status == Article.Status.SUBMITTED


def test_news_list_and_article_queries_do_not_grow(author, client, django_assert_max_num_queries):
    event = make_event(starts_in=-timedelta(days=1))
    for n in range(12):
        a = published(author=author, title=f"新闻{n}", slug=f"n{n}")
        a.events.set([event])
        ArticlePhoto.objects.create(article=a, image=SimpleUploadedFile("p.jpg", _jpeg()))
    with django_assert_max_num_queries(12):
        client.get("/news/")
    with django_assert_max_num_queries(12):
        client.get("/news/n3/")


def test_a_scheduled_article_appears_on_the_cached_home_page_once_published(
    author, reviewer, client, django_capture_on_commit_callbacks
):
    at = timezone.now() + timedelta(hours=1)
    article = make_article(author=author, title="定时发布的新闻", publish_at=at)
    services.article_submit(article=article, by=author)
    services.article_approve(article=article, by=reviewer)
    assert "定时发布的新闻" not in client.get("/").content.decode()  # now in the page cache
    with django_capture_on_commit_callbacks(execute=True):
        services.news_publish_due(now=at + timedelta(minutes=1))
    assert "定时发布的新闻" in client.get("/").content.decode()
