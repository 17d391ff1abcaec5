from datetime import timedelta

import pytest
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
    with django_assert_max_num_queries(14):  # with looking up and storing the anonymous page in the cache
        response = client.get(URL)
    assert len(titles(response)) == 10
    with django_assert_max_num_queries(0):  # the next visitor's page comes from the cache
        assert client.get(URL).content.decode().count('class="event-card"') == 10


def test_home_page_shows_the_next_seven_days(client):
    make_event(title="三天后的活动", starts_in=timedelta(days=3))
    make_event(title="十天后的活动", starts_in=timedelta(days=10))
    body = client.get("/").content.decode()
    assert "三天后的活动" in body and "十天后的活动" not in body
