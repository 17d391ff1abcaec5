"""Whom to phone about a child or an elderly villager without a mobile: the guardian."""

import io

import pytest
from django.contrib.auth.models import Group, Permission
from openpyxl import load_workbook

from tests.conftest import make_dependant, make_staff, make_villager, sign_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def family_signed_up(event):
    guardian = make_villager(name="王建华", mobile="13800000001")
    grandpa = make_dependant(guardian, name="王德顺", birth_year=1956)
    sign_up(event, grandpa)
    return guardian, grandpa


def test_registrants_show_the_guardians_name_and_phone_for_a_grandparent_without_a_mobile(
    staff_client, event, family_signed_up
):
    body = staff_client.get(f"/activities/{event.pk}/registrants/").content.decode()
    row = body[body.index('registrants-table__name">王德顺') :].split("</tr>")[0]
    assert "王建华（监护人）13800000001" in row and "—" not in row.split("</td>")[2]


def test_registrants_mask_the_guardians_phone_for_a_helper_without_the_personal_data_permission(
    client, event, family_signed_up
):
    helper = make_staff("helper", role="志愿者")
    door = Group.objects.create(name="报名查看")
    door.permissions.add(Permission.objects.get(codename="view_registration"))
    helper.groups.add(door)
    client.force_login(helper)

    body = client.get(f"/activities/{event.pk}/registrants/").content.decode()

    assert "王建华（监护人）138****0001" in body and "13800000001" not in body


def test_the_registrants_spreadsheet_names_the_guardian_to_call(staff_client, event, family_signed_up):
    xlsx = staff_client.get(f"/activities/{event.pk}/registrants.xlsx")
    header, row = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    contact = dict(zip(header, row, strict=True))["联系人 Contact"]
    assert contact == "王建华（监护人）13800000001"


def test_the_registrants_page_query_count_does_not_grow_with_households(
    staff_client, event, django_assert_max_num_queries
):
    for _ in range(15):
        guardian = make_villager()
        sign_up(event, guardian)
        sign_up(event, make_dependant(guardian))
    with django_assert_max_num_queries(14):
        response = staff_client.get(f"/activities/{event.pk}/registrants/")
    assert response.content.decode().count("（监护人）") == 15
