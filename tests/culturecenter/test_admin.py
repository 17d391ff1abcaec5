import re

import pytest

from culturecenter import roles
from culturecenter.models import Member
from tests.conftest import make_staff, make_villager

pytestmark = pytest.mark.django_db


def test_admin_has_chinese_headers(staff_client):
    body = staff_client.get("/admin/").content.decode()
    assert "清水文化中心管理后台" in body


def test_villager_cannot_enter_the_admin(villager_client):
    response = villager_client.get("/admin/culturecenter/member/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url


@pytest.mark.parametrize("term", ["秀兰", "13955556666", "R000"])
def test_staff_find_members_by_name_mobile_or_card(staff_client, term):
    make_villager(name="李秀兰", mobile="13955556666")
    make_villager(name="赵国庆", mobile="13977778888")

    body = staff_client.get("/admin/culturecenter/member/", {"q": term}).content.decode()

    assert "李秀兰" in body
    if term != "R000":
        assert "赵国庆" not in body


def test_staff_create_a_member_without_login_at_the_desk(staff_client):
    response = staff_client.post(
        "/admin/culturecenter/member/add/",
        {
            "name": "刘长福",
            "mobile": "",
            "email": "",
            "village": "hongshuikou",
            "birth_year": "1941",
            "reader_card": "",
        },
    )

    assert response.status_code == 302
    member = Member.objects.get(name="刘长福")
    assert member.user is None and member.mobile is None
    assert member.reader_card == f"R{member.pk:08d}"
    assert member.age_group == "elderly"


def test_special_group_flags_only_for_staff_with_the_permission(client, db):
    member = make_villager(name="韩德才")
    member.is_disabled = True
    member.save()
    librarian = make_staff("librarian", roles.LIBRARIAN)
    client.force_login(librarian)

    body = client.get(f"/admin/culturecenter/member/{member.pk}/change/").content.decode()
    assert "韩德才" in body
    assert "is_disabled" not in body

    client.force_login(make_staff("staff", roles.STAFF))
    body = client.get(f"/admin/culturecenter/member/{member.pk}/change/").content.decode()
    assert 'name="is_disabled"' in body


def test_librarian_without_hours_permission_cannot_edit_hours(client, db):
    client.force_login(make_staff("librarian", roles.LIBRARIAN))
    assert client.get("/admin/culturecenter/openingschedule/add/").status_code == 403


def test_staff_edit_opening_hours_in_the_admin(staff_client):
    response = staff_client.post(
        "/admin/culturecenter/openingschedule/add/",
        {
            "name": "暑期延时开放",
            "valid_from": "2027-07-01",
            "valid_until": "2027-08-31",
            "periods-TOTAL_FORMS": "1",
            "periods-INITIAL_FORMS": "0",
            "periods-0-weekday": "1",
            "periods-0-opens": "09:00",
            "periods-0-closes": "21:00",
        },
    )
    assert response.status_code == 302

    bad = staff_client.post(
        "/admin/culturecenter/specialday/add/", {"date": "2027-01-01", "opens": "18:00", "closes": "09:00"}
    )
    assert "请勾选“全天闭馆”并留空时间" in bad.content.decode()


def test_each_date_and_time_box_of_the_event_form_has_its_own_name(staff_client):
    page = staff_client.get("/admin/activities/event/add/").content.decode()

    for name, label in (("starts_at", "开始时间"), ("signup_closes_at", "报名截止")):
        for box, part in (("0", "日期"), ("1", "时间")):
            tag = re.search(rf'<input[^>]*name="{name}_{box}"[^>]*>', page).group(0)
            assert f'aria-label="{label}：{part}"' in tag
    assert "css/admin-extra.css" in page and "js/admin-a11y.js" in page
