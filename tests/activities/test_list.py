from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from activities.models import Venue
from tests.conftest import make_event, make_villager, sign_up

pytestmark = pytest.mark.django_db

URL = "/activities/"


def titles(response):
    return [event.title for event in response.context["page"].object_list]


def test_published_events_soonest_first_and_drafts_hidden(client):
    make_event(title="后天的活动", starts_in=timedelta(days=2))
    make_event(title="明天的活动", starts_in=timedelta(days=1))
    make_event(title="草稿活动", status="draft")
    make_event(title="待审核活动", status="submitted")

    assert titles(client.get(URL)) == ["明天的活动", "后天的活动"]


@pytest.mark.parametrize(
    ("arrange", "label"),
    [
        (lambda e: None, "可报名 · 剩余 2 个名额"),
        (lambda e: [sign_up(e, make_villager()) for _ in range(2)], "已满 · 可候补"),
        (lambda e: setattr(e, "signup_opens_at", timezone.now() + timedelta(days=1)) or e.save(), "报名未开始"),
        (lambda e: setattr(e, "signup_closes_at", timezone.now() - timedelta(hours=1)) or e.save(), "报名已截止"),
        (lambda e: setattr(e, "status", "cancelled") or e.save(), "已取消"),
        (lambda e: setattr(e, "signup_required", False) or e.save(), "无需报名 · 直接参加"),
    ],
)
def test_each_state_is_shown_in_words(client, arrange, label):
    event = make_event(capacity=2)
    arrange(event)
    assert label in client.get(URL).content.decode()


def test_ended_event_is_listed_under_past_events(client):
    make_event(title="上个月的讲座", starts_in=-timedelta(days=30))
    body = client.get(URL, {"when": "past"}).content.decode()
    assert "上个月的讲座" in body and "已结束" in body
    assert "上个月的讲座" not in client.get(URL).content.decode()


def test_filters_combine(client):
    village_site = Venue.objects.create(name="黄安坨村委会广场", village="huangantuo", in_center=False)
    make_event(title="黄安坨剪纸", category="heritage", venue=village_site, audiences=("minors",))
    make_event(title="黄安坨讲座", category="science", venue=village_site, audiences=("elderly",))
    make_event(title="中心剪纸", category="heritage", audiences=("minors",))

    response = client.get(URL, {"category": "heritage", "village": "huangantuo", "audience": "minors"})

    assert titles(response) == ["黄安坨剪纸"]


@pytest.mark.parametrize("word", ["剪纸", "纸", "窗花"])
def test_search_finds_chinese_substrings_in_title_and_description(client, word):
    make_event(title="爱国主义剪纸", description="剪红色主题窗花。")
    make_event(title="茶文化讲座", description="品鉴京西野生茶。")
    assert titles(client.get(URL, {"q": word})) == ["爱国主义剪纸"]


@pytest.fixture
def village_events(db):
    huangantuo = Venue.objects.create(name="村委会广场", village="huangantuo", in_center=False)
    make_event(title="爱国主义剪纸", venue=huangantuo, starts_in=timedelta(days=1))
    make_event(title="剪纸入门", category="handicraft", description="学剪窗花。", starts_in=timedelta(days=2))
    make_event(title="安全讲座", venue=huangantuo, category="science", starts_in=timedelta(days=3))
    make_event(title="风筝制作", category="handicraft", audiences=("family",), starts_in=timedelta(days=4))
    make_event(title="风筝展", category="exhibition", audiences=("elderly",), starts_in=timedelta(days=5))
    make_event(title="绘本共读", category="reading", audiences=("family",), starts_in=timedelta(days=6))


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("剪纸 黄安坨", ["爱国主义剪纸"]),  # title and village
        ("黄安坨　剪纸", ["爱国主义剪纸"]),  # a full-width space
        ("风筝 亲子", ["风筝制作"]),  # title and audience
        ("剪纸 非遗", ["爱国主义剪纸"]),  # title and category
        ("窗花 剪纸", ["剪纸入门"]),  # description and title
        ("村委会 讲座", ["安全讲座"]),  # venue and title
        ("风筝 黄安坨", []),
    ],
)
def test_every_word_must_be_in_some_field_of_the_event(client, village_events, q, expected):
    assert titles(client.get(URL, {"q": q})) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("jianzhi", ["爱国主义剪纸", "剪纸入门"]),
        ("JianZhi rumen", ["剪纸入门"]),
        ("fzzz", ["风筝制作"]),
        ("fengzheng zhizuo", ["风筝制作"]),
    ],
)
def test_event_titles_are_found_by_pinyin_and_initials(client, village_events, q, expected):
    assert titles(client.get(URL, {"q": q})) == expected


def test_events_made_or_changed_in_the_admin_are_found_by_audience_and_venue(client, staff_user):
    from activities.models import AudienceTag, Event

    client.force_login(staff_user)
    site = Venue.objects.create(name="洪水口村文化大院", village="hongshuikou", in_center=False)
    # In the afternoon, so that the two hours never run past midnight whenever the suite runs.
    starts = (timezone.localtime() + timedelta(days=3)).replace(hour=14, minute=0, second=0, microsecond=0)
    form = {
        "title": "端午龙舟", "category": "heritage", "description": "划旱船、包粽子。",
        "audiences": [AudienceTag.objects.get(code="family").pk],
        "starts_at_0": starts.strftime("%Y-%m-%d"), "starts_at_1": starts.strftime("%H:%M:%S"),
        "ends_at_0": starts.strftime("%Y-%m-%d"), "ends_at_1": (starts + timedelta(hours=2)).strftime("%H:%M:%S"),
        "venue": site.pk, "capacity": 30, "signup_required": "on",
        "review_steps-TOTAL_FORMS": 0, "review_steps-INITIAL_FORMS": 0,
    }  # fmt: skip
    response = client.post("/admin/activities/event/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    Event.objects.update(status="approved")
    client.logout()
    assert titles(client.get(URL, {"q": "龙舟 亲子 洪水口"})) == ["端午龙舟"]

    client.force_login(staff_user)
    change = {"name": "洪水口村史馆", "village": "hongshuikou", "in_center": ""}
    assert client.post(f"/admin/activities/venue/{site.pk}/change/", change).status_code == 302
    client.logout()
    assert titles(client.get(URL, {"q": "龙舟 村史馆"})) == ["端午龙舟"]


def test_the_data_migration_makes_events_saved_before_it_searchable(client):
    from importlib import import_module

    from django.apps import apps

    from activities.models import Event

    event = make_event(title="茶文化讲座")
    Event.objects.filter(pk=event.pk).update(search_text="", search_tokens=[])  # as it was before
    assert titles(client.get(URL, {"q": "茶文化"})) == []
    import_module("activities.migrations.0008_fill_event_search").fill(apps, None)
    assert titles(client.get(URL, {"q": "茶文化 cwh"})) == ["茶文化讲座"]


def test_search_keeps_a_fixed_query_count(client, django_assert_max_num_queries):
    for day in range(1, 11):
        make_event(title=f"剪纸第{day}期", starts_in=timedelta(days=day), audiences=("elderly", "family"))
    with django_assert_max_num_queries(25):  # with keeping the results, the hours and the page in the cache
        response = client.get(URL, {"q": "剪纸 亲子"})
    assert len(titles(response)) == 10


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the token index exists on PostgreSQL only")
def test_a_two_character_word_is_answered_by_the_token_index_on_postgresql():
    from activities.models import Event

    make_event(title="剪纸")
    query = Event.objects.search("剪纸 亲子").order_by("starts_at", "pk")
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        # A tiny table is read whole; switched off, that shows the index can answer instead.
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "activities_event_search_tokens_gin" in plan, plan


def test_when_filters_today_and_this_month(client):
    now = timezone.localtime()
    later_today = (now.replace(hour=23, minute=0) - now) if now.hour < 22 else timedelta(minutes=30)
    make_event(title="今天的活动", starts_in=later_today)
    make_event(title="两个月后", starts_in=timedelta(days=62))

    assert titles(client.get(URL, {"when": "today"})) == ["今天的活动"]
    assert "两个月后" not in titles(client.get(URL, {"when": "month"}))


def test_filters_survive_paging(client):
    for day in range(1, 14):
        make_event(title=f"剪纸第{day}期", starts_in=timedelta(days=day))
    make_event(title="茶艺课", starts_in=timedelta(days=1))

    first = client.get(URL, {"q": "剪纸"})
    assert first.context["page"].paginator.count == 13
    assert 'href="?q=%E5%89%AA%E7%BA%B8&amp;page=2"' in first.content.decode()
    second = client.get(URL, {"q": "剪纸", "page": 2})
    assert titles(second) == ["剪纸第11期", "剪纸第12期", "剪纸第13期"]


def test_nonsense_parameters_do_not_break_the_page(client):
    make_event(title="茶艺课")
    response = client.get(URL, {"category": "<script>", "page": "999", "when": "yesterday", "q": "x" * 500})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_list_query_count_does_not_grow_with_events(client, django_assert_max_num_queries):
    for day in range(1, 11):
        event = make_event(title=f"活动{day}", starts_in=timedelta(days=day), audiences=("elderly", "family"))
        for _ in range(3):
            sign_up(event, make_villager())
    with django_assert_max_num_queries(25):  # with keeping the results, the hours and the page in the cache
        response = client.get(URL)
    assert len(titles(response)) == 10
    with django_assert_max_num_queries(0):  # the next visitor's page comes from the cache
        assert client.get(URL).content.decode().count('class="event-card"') == 10


def test_a_logged_in_villager_gets_the_list_everyone_sees_from_the_cache(
    villager_client, time_machine, django_assert_max_num_queries
):
    time_machine.move_to(timezone.now(), tick=False)
    for day in range(1, 11):
        make_event(title=f"第{day}期剪纸课", starts_in=timedelta(days=day))
    Client().get(URL)  # the first visitor this minute
    # Only what is the villager's own: the session, the user with their member record, the
    # header's unread notices.
    with django_assert_max_num_queries(3):
        body = villager_client.get(URL).content.decode()
    assert all(f"第{day}期剪纸课" in body for day in range(1, 11))


def test_a_sign_up_shows_at_once_in_the_list_a_logged_in_villager_sees(villager_client, other_villager):
    event = make_event(title="剪纸课", capacity=2, starts_in=timedelta(days=2))
    assert "剩余 2 个名额" in villager_client.get(URL).content.decode()
    other = Client()
    other.force_login(other_villager.user)
    assert other.post(f"/activities/{event.pk}/signup/", {"member": other_villager.pk}).status_code == 302
    assert "剩余 1 个名额" in villager_client.get(URL).content.decode()


def test_home_page_shows_the_next_seven_days(client):
    make_event(title="三天后的活动", starts_in=timedelta(days=3))
    make_event(title="十天后的活动", starts_in=timedelta(days=10))
    body = client.get("/").content.decode()
    assert "三天后的活动" in body and "十天后的活动" not in body
