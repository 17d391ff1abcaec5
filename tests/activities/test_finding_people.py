"""Walk-ins at the door and 代报名 at the desk find the villager already known before
anyone is recorded anew, so nobody gets a second member record and reader card."""

from datetime import timedelta

import pytest

from culturecenter.models import Member, Village
from tests.conftest import make_dependant, make_event, make_villager, sign_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def liu(db):
    """An elderly villager without a phone, served at the desk before."""
    member = Member.objects.create(name="刘长福", village=Village.HONGSHUIKOU, birth_year=1941)
    member.assign_reader_card()
    return member


@pytest.fixture
def event(db):
    """Starting within the hour, so the door is open for check-in."""
    return make_event(starts_in=timedelta(minutes=30))


def checkin_url(event):
    return f"/activities/{event.pk}/checkin/"


def test_at_the_door_a_search_by_name_village_and_birth_year_offers_the_known_person(staff_client, event, liu):
    body = staff_client.get(checkin_url(event), {"who": "刘长福 1941 洪水口"}).content.decode()

    assert "是以下哪一位？" in body and liu.reader_card in body
    assert body.index("就是此人：签到") < body.index("新登记一个人")  # this person before a new person

    response = staff_client.post(checkin_url(event), {"walk_in_member": liu.pk}, follow=True)

    assert "刘长福 签到成功" in response.content.decode()
    assert Member.objects.filter(name="刘长福").count() == 1
    assert event.registrations.get().member == liu


def test_a_walk_in_typed_as_new_is_first_shown_the_person_already_known(staff_client, event, liu):
    details = {"form": "walk_in", "name": "刘长福", "village": "hongshuikou", "birth_year": "1941", "mobile": ""}

    asked = staff_client.post(checkin_url(event), details)

    body = asked.content.decode()
    assert asked.status_code == 200 and "以免重复登记" in body and liu.reader_card in body
    assert "都不是：新登记此人" in body
    assert Member.objects.filter(name="刘长福").count() == 1 and not event.registrations.exists()

    staff_client.post(checkin_url(event), {**details, "new_person_confirmed": "1"})
    assert Member.objects.filter(name="刘长福").count() == 2  # a namesake, on purpose


def test_a_search_that_finds_nobody_offers_a_new_person_with_what_was_typed(staff_client, event):
    body = staff_client.get(checkin_url(event), {"who": "韩德才 1938"}).content.decode()
    assert "没有找到与“韩德才 1938”相符的人" in body
    assert 'value="韩德才"' in body and 'value="1938"' in body


def test_the_household_heads_mobile_typed_with_spaces_lists_the_whole_household(staff_client, event):
    head = make_villager(name="王建华", mobile="13800000001")
    child = make_dependant(head, name="王小雨", birth_year=2017)
    make_dependant(head, name="王德顺", birth_year=1956)
    make_villager(name="李秀兰")
    sign_up(event, child)

    for typed in ("138 0000 0001", "１３８００００００01"):
        body = staff_client.get(f"/activities/{event.pk}/registrants/", {"who": typed}).content.decode()
        found = body[body.index("是以下哪一位？") : body.index("新登记一个人")]
        assert found.index("王建华") < found.index("王德顺") < found.index("王小雨")  # the head first
        assert "李秀兰" not in found
        assert found.count("就是此人：报名") == 2  # the child already has a place and says so
        assert "王建华（监护人）13800000001" in found


def test_on_behalf_sign_up_finds_a_villager_by_name_and_signs_them_up(staff_client, event, liu, villager):
    typed = staff_client.post(f"/activities/{event.pk}/registrants/", {"who": "刘长福"})
    assert typed.status_code == 302 and "who=" in typed.url

    body = staff_client.get(typed.url).content.decode()
    assert "就是此人：报名" in body

    response = staff_client.post(f"/activities/{event.pk}/registrants/", {"member": liu.pk}, follow=True)
    assert "已为 刘长福 报名" in response.content.decode()
    assert event.registrations.get().registered_by.username == "staff"

    staff_client.force_login(villager.user)  # villagers cannot look people up
    assert staff_client.get(typed.url).status_code == 403
    assert staff_client.get(checkin_url(event), {"who": "刘长福"}).status_code == 403


def test_on_behalf_sign_up_of_a_new_villager_without_a_phone_records_them_once(staff_client, event):
    new = {"form": "new_person", "name": "韩德才", "village": "huangantuo", "birth_year": "1938", "mobile": ""}

    response = staff_client.post(f"/activities/{event.pk}/registrants/", new, follow=True)
    assert "已为 韩德才 报名" in response.content.decode()

    again = make_event(title="茶艺课")
    asked = staff_client.post(f"/activities/{again.pk}/registrants/", new)
    assert "以免重复登记" in asked.content.decode()
    assert Member.objects.filter(name="韩德才").count() == 1
    assert Member.objects.get(name="韩德才").reader_card
