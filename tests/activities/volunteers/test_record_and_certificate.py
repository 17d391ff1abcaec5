import re
from datetime import date, timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from activities import services
from activities.models import Certificate, HoursEntry, Recognition
from tests.activities.volunteers.conftest import local, make_shift, place
from tests.conftest import make_villager

pytestmark = pytest.mark.django_db


def approved(volunteer, day, minutes, content, by):
    return HoursEntry.objects.create(
        volunteer=volunteer,
        kind=HoursEntry.Kind.SELF_REPORTED,
        status=HoursEntry.Status.APPROVED,
        service_date=day,
        minutes=minutes,
        content=content,
        reason="核实",
        decided_at=timezone.now(),
        decided_by=by,
    )


@pytest.fixture
def season(volunteer, coordinator):
    approved(volunteer, date(2026, 6, 6), 180, "阅览室值班", coordinator)
    approved(volunteer, date(2026, 7, 18), 95, "文化下乡 · 黄安坨剪纸", coordinator)
    wrong = approved(volunteer, date(2026, 8, 1), 120, "红叶节引导", coordinator)
    services.hours_correct(entry=wrong, minutes=90, reason="提前离开", by=coordinator)
    HoursEntry.objects.create(  # pending: never on the certificate
        volunteer=volunteer,
        kind="self_reported",
        service_date=date(2026, 8, 2),
        minutes=600,
        content="未批准",
        reason="x",
    )
    Recognition.objects.create(volunteer=volunteer, kind="training", title="志愿者急救培训", date=date(2026, 5, 20))
    Recognition.objects.create(
        volunteer=volunteer, kind="commendation", title="2026年度优秀文化志愿者", date=date(2026, 11, 30)
    )
    return volunteer


def test_the_certificate_carries_what_the_measures_ask_for(volunteer_client, season):
    response = volunteer_client.post("/accounts/me/volunteering/certificate/", {"volunteer": season.pk})
    certificate = Certificate.objects.get()
    assert response["Location"] == f"/accounts/me/volunteering/certificates/{certificate.serial}/"
    page = volunteer_client.get(response["Location"]).content.decode()
    assert "志愿服务记录证明" in page
    assert "赵国庆" in page
    card = season.member.reader_card
    assert "*" * (len(card) - 4) + card[-4:] in page and card not in page
    assert "2026-06-06 — 2026-08-01" in page
    assert "阅览室值班" in page and "文化下乡 · 黄安坨剪纸" in page and "未批准" not in page
    assert "6.1 小时" in page  # 180 + 95 + 90 minutes = 365 = 6.08 hours
    assert "北京市门头沟区清水镇文化中心" in page
    assert certificate.serial in page and re.fullmatch(r"QSWH-\d{4}-[0-9A-F]{8}", certificate.serial)
    assert timezone.localdate().isoformat() in page
    assert f"/activities/volunteer/verify/{certificate.serial}/" in page


def test_a_certificate_for_a_period_counts_only_that_period(season, coordinator):
    certificate = services.certificate_issue(
        volunteer=season, by=season.member.user, period_from=date(2026, 7, 1), period_to=date(2026, 7, 31)
    )
    assert certificate.minutes == 95 and certificate.hours_text == "1.6"


def test_anyone_can_verify_a_certificate_by_its_serial_and_sees_only_what_it_shows(client, season):
    certificate = services.certificate_issue(volunteer=season, by=season.member.user)
    page = client.get(f"/activities/volunteer/verify/{certificate.serial}/").content.decode()
    assert "真实有效" in page and "赵国庆" in page and "6.1 小时" in page
    assert season.member.mobile not in page and season.member.reader_card not in page
    assert client.get(f"/activities/volunteer/verify/{certificate.serial.lower()}/").status_code == 200


def test_an_unknown_serial_gets_a_clear_not_found_page(client, db):
    response = client.get("/activities/volunteer/verify/QSWH-2026-DEADBEEF/")
    assert response.status_code == 404
    assert "没有编号为“QSWH-2026-DEADBEEF”的证明" in response.content.decode()


def test_no_certificate_without_approved_hours(volunteer_client, volunteer):
    response = volunteer_client.post("/accounts/me/volunteering/certificate/", {"volunteer": volunteer.pk}, follow=True)
    assert "还没有可证明的已批准时长" in response.content.decode()
    assert not Certificate.objects.exists()


def test_the_record_shows_every_shift_hours_trainings_and_commendations(volunteer_client, season, coordinator):
    shift = make_shift(title="掐丝珐琅体验 · 摄影", starts_at=local(2026, 9, 12, 9))
    place(shift, season, "摄影", is_late_cancel=True, status="cancelled")
    page = volunteer_client.get("/accounts/me/volunteering/").content.decode()
    assert "掐丝珐琅体验 · 摄影" in page and "临时取消" in page
    assert "已批准时长：<strong>6.1</strong>" in page
    assert "志愿者急救培训" in page and "2026年度优秀文化志愿者" in page
    assert "已被更正取代" in page and "提前离开" in page
    assert "未批准" in page and "待审批" in page  # shown as pending, not counted


def test_the_record_runs_a_fixed_number_of_queries(volunteer_client, season, django_assert_max_num_queries):
    for n in range(10):
        shift = make_shift(title=f"班次{n}", starts_at=local(2026, 10, 1 + n, 9))
        place(shift, season)
    with django_assert_max_num_queries(12):
        volunteer_client.get("/accounts/me/volunteering/")


def test_another_villager_cannot_see_my_record_or_print_my_certificate(season):
    certificate = services.certificate_issue(volunteer=season, by=season.member.user)
    stranger = make_villager(name="李秀兰")
    client = Client()
    assert client.get("/accounts/me/volunteering/").status_code == 302
    assert client.get(f"/accounts/me/volunteering/certificates/{certificate.serial}/").status_code == 302
    client.force_login(stranger.user)
    assert client.get("/accounts/me/volunteering/").status_code == 404
    assert client.get(f"/accounts/me/volunteering/?member={season.member.pk}").status_code == 404
    assert client.get(f"/accounts/me/volunteering/certificates/{certificate.serial}/").status_code == 404
    assert client.post("/accounts/me/volunteering/certificate/", {"volunteer": season.pk}).status_code == 404


def test_my_data_export_holds_my_volunteering(volunteer_client, season):
    page = volunteer_client.get("/accounts/me/data/").content.decode()
    assert "志愿者申请" in page and "志愿服务时长" in page and "文化下乡 · 黄安坨剪纸" in page


def test_an_hour_report_from_the_page_is_pending(volunteer_client, volunteer):
    day = (timezone.localdate() - timedelta(days=3)).isoformat()
    volunteer_client.post(
        "/activities/volunteer/hours/report/",
        {"service_date": day, "hours": "2.5", "content": "文化下乡 · 西达摩红叶节", "reason": "协助布置展台"},
    )
    entry = HoursEntry.objects.get()
    assert entry.minutes == 150 and entry.status == HoursEntry.Status.PENDING


def test_hours_are_shown_with_one_decimal(volunteer, coordinator):
    with time_machine.travel(local(2026, 12, 1, 9)):
        approved(volunteer, date(2026, 11, 1), 100, "值班", coordinator)
        assert services.certificate_issue(volunteer=volunteer, by=volunteer.member.user).hours_text == "1.7"


def test_hours_round_half_up_as_people_do_by_hand():
    from activities.models.volunteers import hours_text

    assert [hours_text(m) for m in (0, 3, 555, 365, 100, 180)] == ["0.0", "0.1", "9.3", "6.1", "1.7", "3.0"]
