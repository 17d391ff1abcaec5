import io
from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from activities.models import HoursEntry
from tests.activities.volunteers.conftest import local, make_shift, make_volunteer, place
from tests.conftest import make_staff, make_villager

pytestmark = pytest.mark.django_db


def test_todays_roster_shows_who_has_checked_in(coordinator, coordinator_client, django_assert_max_num_queries):
    with time_machine.travel(local(2027, 3, 6, 14, 30)):
        coordinator_client.force_login(coordinator)
        duty = make_shift(title="阅览室值班", starts_at=local(2027, 3, 6, 14), roles_needed=(("引导", 4),))
        for n in range(4):
            signup = place(duty, make_volunteer(make_villager(name=f"值班员{n}")))
        signup.checked_in_at = local(2027, 3, 6, 13, 55)
        signup.save()
        for n in range(5):
            make_shift(title=f"后续班次{n}", starts_at=local(2027, 3, 7 + n, 9))
        with django_assert_max_num_queries(14):  # today's and the week's shifts read together
            page = coordinator_client.get("/activities/volunteer/staff/").content.decode()
    assert "阅览室值班" in page and "13:55 已签到" in page and page.count("未签到") == 3


def test_the_next_seven_days_put_unfilled_critical_roles_first(coordinator, coordinator_client):
    with time_machine.travel(local(2027, 3, 1, 9)):
        coordinator_client.force_login(coordinator)
        filled = make_shift(title="先开始但已满员", starts_at=local(2027, 3, 2, 9), roles_needed=(("签到", 1),))
        place(filled, make_volunteer(), "签到")
        make_shift(title="关键岗位缺人", starts_at=local(2027, 3, 5, 9), roles_needed=(("签到", 2),))
        make_shift(title="八天以后", starts_at=local(2027, 3, 9, 9), roles_needed=(("签到", 2),))
        page = coordinator_client.get("/activities/volunteer/staff/").content.decode()
    assert page.index("关键岗位缺人") < page.index("先开始但已满员")
    assert "2 个关键岗位未满" in page and "八天以后" not in page


def test_pending_hours_are_listed_and_approved_with_who_and_when(volunteer, coordinator, coordinator_client):
    entry = HoursEntry.objects.create(
        volunteer=volunteer,
        kind="self_reported",
        service_date=date(2026, 11, 20),
        minutes=120,
        content="文化下乡",
        reason="黄安坨",
    )
    assert "黄安坨" in coordinator_client.get("/activities/volunteer/staff/").content.decode()
    coordinator_client.post(f"/activities/volunteer/hours/{entry.pk}/decide/", {"action": "approve"})
    entry.refresh_from_db()
    assert entry.status == "approved" and entry.decided_by == coordinator and entry.decided_at


def _approved(volunteer, minutes, day=date(2026, 9, 1)):
    return HoursEntry.objects.create(
        volunteer=volunteer,
        kind="self_reported",
        status="approved",
        service_date=day,
        minutes=minutes,
        content="值班",
        reason="核实",
        decided_at=timezone.now(),
    )


def test_hours_by_village_over_a_period_with_an_xlsx_that_cannot_run_formulas(coordinator_client):
    sly = make_volunteer(make_villager(name="=HYPERLINK(1)", village="huangantuo"))
    teacher = make_volunteer(make_villager(name="吴桂英", village="yanjiatai"))
    _approved(sly, 90)
    _approved(teacher, 240)
    _approved(teacher, 600, day=date(2025, 1, 1))  # outside the period
    page = coordinator_client.get("/activities/volunteer/staff/hours/?start=2026-01-01&end=2026-12-31").content.decode()
    assert "燕家台" in page and "黄安坨" in page and "4.0" in page and "14.0" not in page

    # A corrected entry counts once, at what the correction says, in the village's total too.
    mistaken = _approved(teacher, 30)
    HoursEntry.objects.create(
        volunteer=teacher, kind="correction", status="approved", service_date=date(2026, 9, 1), minutes=60,
        content="值班", reason="签到时扫码失败", decided_at=timezone.now(), corrects=mistaken,
    )  # fmt: skip
    page = coordinator_client.get(
        "/activities/volunteer/staff/hours/?start=2026-01-01&end=2026-12-31&village=yanjiatai"
    )
    totals = page.content.decode().split("<tbody>")[1]
    assert "<td>1</td><td>5.0</td>" in totals  # 燕家台: one volunteer, 4 + 1 hours

    response = coordinator_client.get("/activities/volunteer/staff/hours.xlsx?start=2026-01-01&end=2026-12-31")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].startswith("姓名")
    names = {row[0]: row for row in rows[1:]}
    assert "'=HYPERLINK(1)" in names and names["吴桂英"][4:6] == (2, 5.0)  # the corrected one once
    assert names["吴桂英"][2] == teacher.member.mobile  # staff may see the number


def test_phone_numbers_and_special_groups_only_for_staff_with_the_permission(db):
    person = make_villager(name="吴桂英", village="yanjiatai")
    person.is_disabled = True
    person.save()
    volunteer = make_volunteer(person)
    coordinator_only = make_staff("helper", role="志愿者")
    coordinator_only.user_permissions.add(Permission.objects.get(codename="coordinate_volunteers"))
    client = Client()
    client.force_login(coordinator_only)
    page = client.get("/activities/volunteer/staff/hours/").content.decode()
    assert person.mobile not in page and person.mobile[-4:] in page
    assert "残疾" not in page
    record = client.get(f"/activities/volunteer/staff/volunteers/{volunteer.pk}/").content.decode()
    assert person.mobile not in record and "残疾" not in record

    staff = Client()
    staff.force_login(make_staff("staff2"))
    assert person.mobile in staff.get(f"/activities/volunteer/staff/volunteers/{volunteer.pk}/").content.decode()
    assert "残疾" in staff.get("/activities/volunteer/staff/hours/").content.decode()


def test_villagers_and_volunteers_cannot_open_the_coordinators_pages(volunteer_client):
    for url in (
        "/activities/volunteer/staff/",
        "/activities/volunteer/staff/hours/",
        "/activities/volunteer/staff/hours.xlsx",
    ):
        assert volunteer_client.get(url).status_code == 403
    assert Client().get("/activities/volunteer/staff/").status_code == 302


def test_a_volunteer_signed_up_in_approval_mode_waits_on_the_staff_page(volunteer, coordinator_client):
    shift = make_shift(title="红叶节引导", mode="approval", starts_at=timezone.now() + timedelta(days=4))
    place(shift, volunteer, status="requested")
    page = coordinator_client.get("/activities/volunteer/staff/").content.decode()
    assert "岗位申请" in page and "红叶节引导" in page


def test_hours_by_village_show_every_village_total_and_one_village_at_a_time(
    coordinator_client, django_assert_max_num_queries
):
    for n in range(6):
        _approved(make_volunteer(make_villager(name=f"黄安坨队员{n}", village="huangantuo")), 60)
    _approved(make_volunteer(make_villager(name="吴桂英", village="yanjiatai")), 240)
    with django_assert_max_num_queries(12):
        page = coordinator_client.get("/activities/volunteer/staff/hours/").content.decode()
    assert "燕家台" in page and "黄安坨" in page and "6.0" in page and "4.0" in page  # both totals
    assert "吴桂英" in page and "黄安坨队员0" not in page  # the first village's people only
    page = coordinator_client.get("/activities/volunteer/staff/hours/", {"village": "huangantuo"}).content.decode()
    assert "黄安坨队员5" in page and "吴桂英" not in page
