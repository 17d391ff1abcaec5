import io
from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from activities import services
from activities.models import HoursEntry, Shift, ShiftSignup
from culturecenter import roles
from culturecenter.models import Notice
from tests.activities.volunteers.conftest import local, make_shift, make_volunteer, place
from tests.conftest import make_event, make_staff, make_villager

pytestmark = pytest.mark.django_db
H = HoursEntry.Status

# 阅览室值班: Saturday 6 March 2027, 14:00–17:00 (180 minutes).
START, END = local(2027, 3, 6, 14), local(2027, 3, 6, 17)


@pytest.fixture
def duty(coordinator):
    return make_shift(
        title="阅览室值班", starts_at=START, ends_at=END, roles_needed=(("引导", 2),), coordinator=coordinator
    )


def attend(signup, by, at_in, at_out):
    with time_machine.travel(at_in, tick=False):
        services.shift_check_in(signup=signup, by=by)
    with time_machine.travel(at_out, tick=False):
        return services.shift_check_out(signup=signup, by=by)


@pytest.mark.parametrize(
    ("at_in", "at_out", "minutes", "extra"),
    [
        ((14, 0), (17, 0), 180, None),  # on time
        ((13, 40), (17, 10), 180, None),  # early and late within the half hour: the shift only
        ((14, 25), (16, 5), 100, None),  # late in, early out: only what overlaps
        ((13, 30), (17, 15), 180, 45),  # 30 early + 15 late: beyond the half hour, waits for approval
        ((14, 0), (18, 0), 180, 60),
    ],
)
def test_hours_are_the_overlap_of_the_shift_and_the_check_in_and_out(
    duty, volunteer, coordinator, at_in, at_out, minutes, extra
):
    signup = place(duty, volunteer)
    entries = attend(signup, coordinator, local(2027, 3, 6, *at_in), local(2027, 3, 6, *at_out))
    assert entries[0].minutes == minutes and entries[0].status == H.APPROVED and entries[0].decided_by == coordinator
    if extra is None:
        assert len(entries) == 1
    else:
        assert (
            entries[1].kind == HoursEntry.Kind.EXTRA and entries[1].minutes == extra and entries[1].status == H.PENDING
        )
    assert volunteer.hours.total_minutes() == minutes  # the extra does not count until approved


def test_extra_time_needs_the_coordinators_reason_and_then_counts(duty, volunteer, coordinator):
    signup = place(duty, volunteer)
    extra = attend(signup, coordinator, START, local(2027, 3, 6, 18))[1]
    with pytest.raises(services.ActivityError, match="理由"):
        services.hours_decide(entry=extra, approve=True, by=coordinator)
    with time_machine.travel(local(2027, 3, 7, 9), tick=False):
        services.hours_decide(entry=extra, approve=True, by=coordinator, note="闭馆后整理图书")
    extra.refresh_from_db()
    assert extra.decided_by == coordinator and extra.decided_at == local(2027, 3, 7, 9)
    assert volunteer.hours.total_minutes() == 240


def test_check_in_is_refused_outside_the_shift_and_twice(duty, volunteer, coordinator):
    signup = place(duty, volunteer)
    with time_machine.travel(local(2027, 3, 6, 12), tick=False), pytest.raises(services.ActivityError):
        services.shift_check_in(signup=signup, by=coordinator)
    with time_machine.travel(local(2027, 3, 6, 14, 5), tick=False):
        services.shift_check_in(signup=signup, by=coordinator)
        with pytest.raises(services.ActivityError, match="14:05"):
            services.shift_check_in(signup=signup, by=coordinator)


def test_a_volunteer_cannot_check_themself_in(duty, volunteer):
    signup = place(duty, volunteer)
    with time_machine.travel(START, tick=False), pytest.raises(services.ActivityError):
        services.shift_check_in(signup=signup, by=volunteer.member.user)


def test_self_reported_hours_wait_for_another_coordinator(volunteer, coordinator):
    entry = services.hours_report(
        volunteer=volunteer,
        service_date=timezone.localdate() - timedelta(days=2),
        minutes=150,
        content="文化下乡 · 黄安坨剪纸",
        reason="随车前往黄安坨，协助剪纸老师",
        by=volunteer.member.user,
    )
    assert entry.status == H.PENDING and volunteer.hours.total_minutes() == 0
    with pytest.raises(services.ActivityError):
        services.hours_decide(entry=entry, approve=True, by=volunteer.member.user)
    services.hours_decide(entry=entry, approve=True, by=coordinator)
    assert volunteer.hours.total_minutes() == 150


def test_rejected_hours_never_count(volunteer, coordinator):
    entry = services.hours_report(
        volunteer=volunteer,
        service_date=date(2026, 1, 5),
        minutes=60,
        content="帮忙",
        reason="无法核实",
        by=volunteer.member.user,
    )
    with pytest.raises(services.ActivityError):
        services.hours_decide(entry=entry, approve=False, by=coordinator)
    services.hours_decide(entry=entry, approve=False, by=coordinator, note="无法核实")
    assert volunteer.hours.total_minutes() == 0


def test_a_correction_is_a_new_entry_and_the_old_one_stays_as_it_was(duty, volunteer, coordinator):
    signup = place(duty, volunteer)
    original = attend(signup, coordinator, local(2027, 3, 6, 14, 25), END)[0]
    assert original.minutes == 155
    with pytest.raises(services.ActivityError):
        services.hours_correct(entry=original, minutes=170, reason="", by=coordinator)
    with pytest.raises(services.ActivityError, match="180"):
        services.hours_correct(entry=original, minutes=200, reason="多算", by=coordinator)
    correction = services.hours_correct(
        entry=original, minutes=170, reason="签到时扫码失败，实际14:10到岗", by=coordinator
    )

    original.refresh_from_db()
    assert original.minutes == 155 and original.status == H.APPROVED  # never edited
    assert correction.corrects == original and correction.decided_by == coordinator and correction.decided_at
    assert volunteer.hours.total_minutes() == 170
    with pytest.raises(services.ActivityError, match="最新"):
        services.hours_correct(entry=original, minutes=160, reason="再改", by=coordinator)
    with pytest.raises(services.ActivityError, match="180"):
        services.hours_correct(entry=correction, minutes=181, reason="再改", by=coordinator)
    with pytest.raises(services.ActivityError, match="负"):
        services.hours_correct(entry=correction, minutes=-5, reason="再改", by=coordinator)


def test_confirmations_go_out_48_hours_before_once_and_unconfirmed_places_show_at_risk(
    duty, volunteer, coordinator, coordinator_client
):
    signup = place(duty, volunteer)
    far = make_shift(title="下周值班", starts_at=local(2027, 3, 13, 14))
    place(far, volunteer)
    with time_machine.travel(local(2027, 3, 4, 15), tick=False):
        coordinator_client.force_login(coordinator)  # sessions made before the travel have expired
        call_command("send_shift_confirmations", stdout=io.StringIO())
        call_command("send_shift_confirmations", stdout=io.StringIO())
        notice = Notice.objects.get(member=volunteer.member)
        assert "阅览室值班" in notice.text and notice.url == f"/activities/volunteer/signups/{signup.pk}/confirm/"
        page = coordinator_client.get(duty.get_absolute_url()).content.decode()
        assert "可能缺岗" in page

        client = coordinator_client.__class__()
        client.force_login(volunteer.member.user)
        assert "我会准时到岗" in client.get(notice.url).content.decode()
        signup.refresh_from_db()
        assert signup.confirmed_at is None  # nothing changes on GET
        client.post(notice.url)
        signup.refresh_from_db()
        assert signup.confirmed_at
        assert "可能缺岗" not in coordinator_client.get(duty.get_absolute_url()).content.decode()


def test_no_shows_are_recorded_after_the_shift(duty, volunteer, coordinator):
    came, missed = place(duty, volunteer), place(duty, make_volunteer(make_villager(name="吴桂英")))
    attend(came, coordinator, START, END)
    with time_machine.travel(local(2027, 3, 6, 16), tick=False), pytest.raises(services.ActivityError):
        services.shift_no_shows_record(shift=duty, by=coordinator)
    with time_machine.travel(local(2027, 3, 6, 18), tick=False):
        assert services.shift_no_shows_record(shift=duty, by=coordinator) == 1
    missed.refresh_from_db()
    came.refresh_from_db()
    assert missed.no_show and not came.no_show


def test_staff_check_volunteers_in_and_out_on_the_events_check_in_page(volunteer, coordinator_client):
    event = make_event(title="掐丝珐琅体验", starts_in=timedelta(minutes=30))
    shift = make_shift(kind=Shift.Kind.EVENT, event=event, starts_at=event.starts_at - timedelta(minutes=30), place="")
    signup = place(shift, volunteer, "签到")
    page = coordinator_client.get(f"/activities/{event.pk}/checkin/").content.decode()
    assert "赵国庆" in page and f"/activities/volunteer/signups/{signup.pk}/check/" in page

    response = coordinator_client.post(
        f"/activities/volunteer/signups/{signup.pk}/check/",
        {"action": "in", "next": f"/activities/{event.pk}/checkin/"},
    )
    assert response["Location"] == f"/activities/{event.pk}/checkin/"
    signup.refresh_from_db()
    assert signup.checked_in_at
    coordinator_client.post(f"/activities/volunteer/signups/{signup.pk}/check/", {"action": "out"})
    signup.refresh_from_db()
    assert signup.checked_out_at and signup.hours.get().status == H.APPROVED


def test_the_roster_page_checks_in_standing_duty_and_pins_its_queries(
    duty, coordinator, coordinator_client, django_assert_max_num_queries
):
    people = [make_volunteer(make_villager(name=f"值班员{n}")) for n in range(6)]
    duty.roles.update(needed=6)
    for person in people:
        place(duty, person)
    with time_machine.travel(local(2027, 3, 6, 14, 2)):
        coordinator_client.force_login(coordinator)
        with django_assert_max_num_queries(14):
            page = coordinator_client.get(duty.get_absolute_url()).content.decode()
        assert page.count("checkin-list__item") == 6
        coordinator_client.post(f"/activities/volunteer/signups/{duty.signups.first().pk}/check/", {"action": "in"})
    assert duty.signups.filter(checked_in_at__isnull=False).count() == 1


def test_a_villager_staff_member_without_the_role_sees_no_check_in(duty, volunteer, client):
    librarian = make_staff("librarian", roles.LIBRARIAN)
    client.force_login(librarian)
    signup = place(duty, volunteer)
    assert client.post(f"/activities/volunteer/signups/{signup.pk}/check/", {"action": "in"}).status_code == 403
    assert not ShiftSignup.objects.filter(checked_in_at__isnull=False).exists()


def test_the_hourly_job_records_no_shows_an_hour_after_the_shift(duty, volunteer):
    missed = place(duty, volunteer)
    with time_machine.travel(local(2027, 3, 6, 17, 30), tick=False):
        call_command("send_shift_confirmations", stdout=io.StringIO())
    missed.refresh_from_db()
    assert not missed.no_show
    with time_machine.travel(local(2027, 3, 6, 18, 1), tick=False):
        call_command("send_shift_confirmations", stdout=io.StringIO())
    missed.refresh_from_db()
    assert missed.no_show
