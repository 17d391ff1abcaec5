"""In Chinese mode no English is left on the pages staff and villagers read, and the
words that mean two things in English (a book's author and an event's author, reading
minutes and meeting minutes, a questionnaire's dates and the opening hours) each get
their own Chinese."""

import json
import os
import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from culturecenter import roles
from culturecenter.models import User
from feedback.models import Questionnaire
from lending.models import Campaign
from tests.conftest import PASSWORD, make_book, make_staff
from tests.test_access_matrix import PERSONAS, all_url_names, scene  # noqa: F401 (a fixture, used by `portal`)

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}

# Words that stay in Latin letters in a Chinese page.
ALLOWED = re.compile(
    r"https?://\S+|\S+@\S+|\b[A-Z]\d+\b|\b(?:ISBN|QR|CSV|XLSX|JSON|ZIP|PDF|Word|Excel|WPS|JPEG|PNG|WebP|"
    r"UTF-8|GBK|Ctrl\+P|Tab|Enter|Esc|F2|WeChat|ID|MB|A4|ics)\b"
)
TWO_ENGLISH_WORDS = re.compile(r"\b[A-Za-z]+(?:[ \t]+[A-Za-z]+)+\b")
VISIBLE_ATTRIBUTES = re.compile(r'\b(?:placeholder|title|aria-label|alt)="([^"]*)"')


def english_left(html: str) -> list[str]:
    """Runs of two or more English words a reader sees (text and visible attributes)."""
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.S | re.I)
    html = re.sub(r"<!--.*?-->", " ", html, flags=re.S)
    attributes = " | ".join(VISIBLE_ATTRIBUTES.findall(html))
    text = re.sub(r"<[^>]+>", " | ", html) + " | " + attributes
    text = re.sub(r"&[a-z]+;|&#\d+;", " ", text)
    text = ALLOWED.sub(" ", text)
    return sorted(set(TWO_ENGLISH_WORDS.findall(text)))


def test_the_english_detector_catches_english_and_lets_codes_through():
    assert english_left("<p>This password is too short.</p>") == ["This password is too short"]
    assert english_left('<input placeholder="Choose all">') == ["Choose all"]
    assert english_left("<p>ISBN 9787020002207 · R00000012 · 二维码 QR · info@qingshui.cn</p>") == []
    assert english_left("<script>var a = 'Choose all'</script><p>作者</p>") == []


@pytest.fixture
def demo_data(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open(os.devnull, "w"))


def admin_pages(client):
    """The list, add and change pages of every model admin this login can open."""
    seen = []
    for model in admin.site._registry:
        opts = model._meta
        base = f"/admin/{opts.app_label}/{opts.model_name}/"
        urls = [base, f"{base}add/"]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(f"{base}{first.pk}/change/")
        for url in urls:
            response = client.get(url, **ZH)
            if response.status_code in (302, 403):
                continue  # the role cannot open it
            assert response.status_code == 200, url
            seen.append((url, response.content.decode()))
    return seen


@pytest.mark.parametrize(
    ("username", "least_pages"),
    [("staff", 45), ("librarian", 24), ("reviewer", 35)],
)
def test_admin_lists_and_forms_of_each_role_have_no_english_left(client, demo_data, username, least_pages):
    client.force_login(User.objects.get(username=username))

    pages = admin_pages(client)

    assert len(pages) >= least_pages, [url for url, _ in pages]
    english = {url: found for url, body in pages if (found := english_left(body))}
    assert english == {}


def test_the_admin_s_javascript_widgets_speak_chinese(staff_client):
    """The audience picker (two boxes with arrows) gets its words from the admin's
    JavaScript catalogue; Django's own misses some of the newer ones."""
    script = staff_client.get("/admin/jsi18n/", **ZH).content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\n  \});", script, re.S).group(1))

    assert catalogue["(click to clear)"] == "（点击清除）"
    assert catalogue["Choose all %s"] == "全选%s"
    assert catalogue["Remove all %s"] == "全部移除%s"
    assert catalogue["Choose selected %s"] == "选择所选%s"
    assert catalogue["Remove selected %s"] == "移除所选%s"
    assert catalogue["%s selected option not visible"] == ["另有 %s 个已选项未显示"]
    assert catalogue["Available %s"] == "可用 %s"  # Django's own stays


def register_form(password):
    return {
        "name": "张秀英",
        "mobile": "13712345678",
        "email": "",
        "village": "yanjiatai",
        "birth_year": "1975",
        "password1": password,
        "password2": password,
        "consent": "on",
    }


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("qs-7", "密码太短，至少需要 8 个字符。"),
        ("password", "这个密码太常见了。"),
        ("73915286", "密码只包含数字。"),
    ],
)
def test_registration_refuses_a_bad_password_in_chinese(client, password, message):
    body = client.post("/accounts/register/", register_form(password), **ZH).content.decode()

    assert message in body
    assert english_left(body) == []


def test_password_change_refuses_a_short_password_in_chinese(villager_client):
    body = villager_client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "qs-7", "new_password2": "qs-7"},
        **ZH,
    ).content.decode()

    assert "密码太短，至少需要 8 个字符。" in body
    assert english_left(body) == []


def test_a_book_s_author_is_called_author_not_creator(client):
    book = make_book("红楼梦", author="曹雪芹")

    body = client.get(book.get_absolute_url(), **ZH).content.decode()

    assert "<dt>作者</dt>" in body
    assert "创建人" not in body


def test_the_librarian_sees_the_book_s_author_as_author_in_the_admin(client):
    book = make_book("红楼梦", author="曹雪芹")
    client.force_login(make_staff("librarian", roles.LIBRARIAN))

    body = client.get(f"/admin/lending/book/{book.pk}/change/", **ZH).content.decode()

    assert "作者" in body
    assert "创建人" not in body


def test_an_event_s_author_is_still_its_creator_for_the_reviewer(client, event):
    from django.contrib.auth.models import Group

    reviewer = User.objects.create_user(username="shenhe", password=PASSWORD, is_staff=True)
    reviewer.groups.add(Group.objects.get(name=roles.REVIEWER))
    client.force_login(reviewer)

    body = client.get(f"/activities/{event.pk}/review/", **ZH).content.decode()

    assert "创建人" in body


def test_campaign_statistics_count_reading_minutes_not_meeting_minutes(client):
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        title="书香清水", slug="shuxiang", starts_on=today - timedelta(days=3), ends_on=today + timedelta(days=20)
    )
    client.force_login(make_staff("librarian", roles.LIBRARIAN))

    body = client.get(f"/library/campaigns/{campaign.slug}/statistics/", **ZH).content.decode()

    assert "阅读分钟数" in body
    assert "会议记录" not in body


def test_questionnaire_dates_are_its_start_and_deadline_not_opening_hours(staff_client):
    now = timezone.now()
    questionnaire = Questionnaire.objects.create(
        title="文化需求调查", opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=9)
    )

    pages = [
        staff_client.get(f"/admin/feedback/questionnaire/{questionnaire.pk}/change/", **ZH).content.decode(),
        staff_client.get("/admin/feedback/questionnaire/", **ZH).content.decode(),
    ]

    for body in pages:
        assert "开始时间" in body and "截止时间" in body
        assert "开馆时间" not in body and "闭馆时间" not in body and "开门时间" not in body


def test_a_questionnaire_closing_before_it_opens_is_refused_with_its_own_words(staff_client):
    response = staff_client.post(
        "/admin/feedback/questionnaire/add/",
        {
            "title": "文化需求调查",
            "opens_at_0": "2026-12-10",
            "opens_at_1": "09:00",
            "closes_at_0": "2026-12-01",
            "closes_at_1": "09:00",
            "questions-TOTAL_FORMS": "0",
            "questions-INITIAL_FORMS": "0",
        },
        **ZH,
    )

    body = response.content.decode()
    assert "截止时间必须晚于开始时间" in body
    assert "闭馆" not in body


def test_opening_hours_keep_their_opening_and_closing_times(staff_client):
    body = staff_client.get("/admin/culturecenter/openingschedule/add/", **ZH).content.decode()

    assert "开馆时间" in body and "闭馆时间" in body


def test_my_data_calls_a_borrowed_book_s_author_author(villager_client, villager):
    from tests.conftest import lend

    book = make_book("活着", author="余华")
    lend(book.copies.first(), villager)

    body = villager_client.get("/accounts/me/data/", **ZH).content.decode()

    assert "余华" in body and "作者" in body
    assert "创建人" not in body


@pytest.fixture
def portal(scene):  # noqa: F811
    """The access matrix's objects and personas: every page has something to show."""
    return scene


def test_no_page_of_the_portal_shows_english_to_any_persona(portal):
    kwargs, users = portal
    english = {}
    for name, _params in all_url_names():
        url = reverse(name, kwargs=kwargs.get(name))
        for persona in PERSONAS:
            client = Client()
            if persona != "anonymous":
                client.force_login(users[persona])
            response = client.get(url, **ZH)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                if found := english_left(response.content.decode()):
                    english[f"{persona} {url}"] = found
    assert english == {}
