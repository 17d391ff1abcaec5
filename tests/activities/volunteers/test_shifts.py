import logging
from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from activities import services
from activities.models import CoordinatorAlert, Shift, ShiftSignup
from culturecenter.models import Member, Notice
from tests.activities.volunteers.conftest import local, make_shift, make_volunteer, place, role
from tests.conftest import make_dependant, make_event, make_villager

pytestmark = pytest.mark.django_db
S = ShiftSignup.Status


def sign(shift, volunteer, role_name="引导", **options):
    return services.shift_signup(
        shift=shift, role=role(shift, role_name), volunteer=volunteer, by=volunteer.member.user, **options
    )


def test_a_full_role_puts_the_next_volunteer_on_its_waiting_list_and_a_cancellation_promotes_them(shift):
    first, second = make_volunteer(make_villager(name="吴桂英")), make_volunteer(make_villager(name="郑海涛"))
    assert sign(shift, first, "摄影").status == S.CONFIRMED
    waiting = sign(shift, second, "摄影")
    assert waiting.status == S.WAITING

    promoted = services.shift_signup_cancel(signup=ShiftSignup.objects.get(volunteer=first), by=first.member.user)

    assert promoted == waiting
    waiting.refresh_from_db()
    assert waiting.status == S.CONFIRMED and waiting.promoted_at
    assert Notice.objects.filter(member=second.member, text__contains="摄影").exists()


def test_each_role_has_its_own_places(shift):
    people = [make_volunteer(make_villager(name=f"志愿者{n}")) for n in range(3)]
    assert [sign(shift, p, "签到").status for p in people] == [S.CONFIRMED, S.CONFIRMED, S.WAITING]
    assert sign(shift, make_volunteer(make_villager(name="另一人")), "引导").status == S.CONFIRMED


def test_the_database_keeps_one_signup_per_person_per_shift(shift, volunteer):
    place(shift, volunteer, "签到")
    with pytest.raises(IntegrityError), transaction.atomic():
        place(shift, volunteer, "引导")
    with pytest.raises(services.ActivityError, match="已报名"):
        sign(shift, volunteer, "引导")


def test_an_overlapping_shift_is_refused_naming_the_other_one(volunteer, coordinator):
    saturday = make_shift(title="阅览室值班", starts_at=local(2027, 3, 6, 14), hours=3, coordinator=coordinator)
    overlapping = make_shift(title="剪纸展布展", starts_at=local(2027, 3, 6, 16, 59), hours=2)
    with time_machine.travel(local(2027, 3, 1, 9)):
        sign(saturday, volunteer)
        with pytest.raises(services.ActivityError) as refused:
            sign(overlapping, volunteer)
    assert "阅览室值班" in refused.value.messages[0] and "03-06 14:00–17:00" in refused.value.messages[0]


def test_back_to_back_shifts_are_fine(volunteer):
    saturday = make_shift(title="阅览室值班", starts_at=local(2027, 3, 6, 14), hours=3)
    after = make_shift(title="晚间放映", starts_at=local(2027, 3, 6, 17), hours=2)
    before = make_shift(title="上午布展", starts_at=local(2027, 3, 6, 11), hours=3)
    with time_machine.travel(local(2027, 3, 1, 9)):
        for s in (saturday, after, before):
            assert sign(s, volunteer).status == S.CONFIRMED


def test_a_coordinator_may_allow_an_overlap_only_with_a_reason_and_it_is_logged(volunteer, coordinator, caplog):
    saturday = make_shift(title="阅览室值班", starts_at=local(2027, 3, 6, 14), hours=3)
    overlapping = make_shift(title="剪纸展布展", starts_at=local(2027, 3, 6, 15), hours=1)
    with time_machine.travel(local(2027, 3, 1, 9)):
        sign(saturday, volunteer)
        with pytest.raises(services.ActivityError):
            services.shift_signup(
                shift=overlapping, role=role(overlapping, "引导"), volunteer=volunteer, by=coordinator, assign=True
            )
        with pytest.raises(services.ActivityError):  # a villager's reason does not count
            sign(overlapping, volunteer, override_reason="我能兼顾")
        with caplog.at_level(logging.WARNING, logger="activities.services.volunteers"):
            signup = services.shift_signup(
                shift=overlapping,
                role=role(overlapping, "引导"),
                volunteer=volunteer,
                by=coordinator,
                assign=True,
                override_reason="值班期间抽空协助一小时",
            )
    assert signup.status == S.CONFIRMED and signup.override_reason == "值班期间抽空协助一小时"
    assert signup.signed_up_by == coordinator
    assert "Overlap allowed" in caplog.text


def _minor(villager_guardian):
    child = make_dependant(villager_guardian, name="王小雨", birth_year=timezone.localdate().year - 15)
    return make_volunteer(child, guardian_consent_at=timezone.now(), guardian_consent_by=villager_guardian.user)


def test_a_minor_cannot_take_a_shift_ending_after_nine_in_the_evening(villager):
    minor = _minor(villager)
    until_nine = make_shift(title="暑期延时开放", starts_at=local(2027, 7, 10, 18), ends_at=local(2027, 7, 10, 21))
    past_nine = make_shift(title="纳凉晚会", starts_at=local(2027, 7, 11, 18), ends_at=local(2027, 7, 11, 21, 1))
    with time_machine.travel(local(2027, 7, 1, 9)):
        assert services.shift_signup(shift=until_nine, role=role(until_nine, "引导"), volunteer=minor, by=villager.user)
        with pytest.raises(services.ActivityError, match="21:00"):
            services.shift_signup(shift=past_nine, role=role(past_nine, "引导"), volunteer=minor, by=villager.user)


def test_a_minor_cannot_take_an_adults_only_role(villager, shift):
    minor = _minor(villager)
    shift.roles.filter(name="引导").update(adults_only=True)
    with pytest.raises(services.ActivityError, match="成年"):
        services.shift_signup(shift=shift, role=role(shift, "引导"), volunteer=minor, by=villager.user)
    assert services.shift_signup(shift=shift, role=role(shift, "签到"), volunteer=minor, by=villager.user)


def test_a_minor_without_guardian_consent_cannot_sign_up(villager, shift):
    child = make_dependant(villager, birth_year=timezone.localdate().year - 15)
    minor = make_volunteer(child)
    with pytest.raises(services.ActivityError, match="监护人"):
        services.shift_signup(shift=shift, role=role(shift, "签到"), volunteer=minor, by=villager.user)


def test_a_late_cancellation_tells_the_coordinator_and_an_early_one_does_not(volunteer, coordinator):
    coordinator_member = Member.objects.create(user=coordinator, name="赵晓燕", village="xiaqingshui", birth_year=1985)
    tomorrow = make_shift(starts_at=timezone.now() + timedelta(hours=20), coordinator=coordinator)
    next_week = make_shift(starts_at=timezone.now() + timedelta(days=7), coordinator=coordinator)
    early = place(next_week, volunteer)
    late = place(tomorrow, volunteer)

    services.shift_signup_cancel(signup=early, by=volunteer.member.user)
    assert not CoordinatorAlert.objects.exists()
    services.shift_signup_cancel(signup=late, by=volunteer.member.user)

    late.refresh_from_db()
    assert late.is_late_cancel
    alert = CoordinatorAlert.objects.get()
    assert alert.coordinator == coordinator and "赵国庆" in alert.text and "临时取消" in alert.text
    assert Notice.objects.filter(member=coordinator_member, text__contains="临时取消").exists()


def test_a_shift_by_approval_waits_for_the_coordinator(volunteer, coordinator):
    shift = make_shift(mode=Shift.Mode.APPROVAL, coordinator=coordinator)
    signup = sign(shift, volunteer, "摄影")
    assert signup.status == S.REQUESTED
    with pytest.raises(services.ActivityError):
        services.shift_signup_decide(signup=signup, approve=True, by=volunteer.member.user)
    assert services.shift_signup_decide(signup=signup, approve=True, by=coordinator).status == S.CONFIRMED
    assert signup.role.signups.get().decided_by == coordinator


def test_an_assigned_shift_takes_no_self_signup(volunteer, coordinator):
    shift = make_shift(mode=Shift.Mode.ASSIGNED)
    with pytest.raises(services.ActivityError, match="工作人员安排"):
        sign(shift, volunteer)
    signup = services.shift_signup(
        shift=shift, role=role(shift, "引导"), volunteer=volunteer, by=coordinator, assign=True
    )
    assert signup.status == S.CONFIRMED


def test_the_volunteer_page_lists_open_shifts_that_fit_my_skills(volunteer_client, volunteer):
    volunteer.skills = ["reading"]
    volunteer.save()
    make_shift(title="摄影专场", roles_needed=(("摄影", 1),))
    make_shift(title="阅览室值班", roles_needed=(("引导", 2),))
    body = volunteer_client.get("/activities/volunteer/").content.decode()
    assert "阅览室值班" in body and "摄影专场" not in body
    assert "摄影专场" in volunteer_client.get("/activities/volunteer/?all=1").content.decode()


def test_the_shift_list_runs_a_fixed_number_of_queries(volunteer_client, volunteer, django_assert_max_num_queries):
    for n in range(12):
        s = make_shift(title=f"班次{n}", starts_at=timezone.now() + timedelta(days=n + 1, hours=n))
        place(s, volunteer) if n % 3 == 0 else None
    with django_assert_max_num_queries(12):
        response = volunteer_client.get("/activities/volunteer/")
    assert response.content.decode().count("班次") >= 12


def test_signing_up_and_cancelling_from_the_pages(volunteer_client, volunteer, shift):
    response = volunteer_client.post(
        f"/activities/volunteer/shifts/{shift.pk}/signup/", {"role": role(shift, "签到").pk}
    )
    assert response.status_code == 302
    signup = ShiftSignup.objects.get(volunteer=volunteer)
    assert signup.status == S.CONFIRMED
    assert "签到" in volunteer_client.get("/activities/volunteer/").content.decode()
    volunteer_client.post(f"/activities/volunteer/signups/{signup.pk}/cancel/")
    signup.refresh_from_db()
    assert signup.status == S.CANCELLED


def test_a_shift_on_an_event_at_a_village_site(volunteer):
    from activities.models import Venue

    site = Venue.objects.create(name="黄安坨村文化广场", village="huangantuo", in_center=False)
    event = make_event(title="黄安坨剪纸下乡", venue=site)
    shift = make_shift(title="剪纸下乡 · 志愿服务", kind=Shift.Kind.EVENT, event=event, place="")
    assert shift.where == "黄安坨 · 黄安坨村文化广场"
    assert sign(shift, volunteer).status == S.CONFIRMED


def test_outsiders_do_not_reach_shifts_or_places(client, shift, volunteer):
    signup = place(shift, volunteer)
    assert client.get(f"/activities/volunteer/shifts/{shift.pk}/").status_code == 302  # to the login page
    stranger = make_villager(name="李秀兰")
    client.force_login(stranger.user)
    assert client.get(f"/activities/volunteer/shifts/{shift.pk}/").status_code == 404
    assert client.get(f"/activities/volunteer/signups/{signup.pk}/cancel/").status_code == 404
    assert client.post(f"/activities/volunteer/signups/{signup.pk}/cancel/").status_code == 404
    assert client.get(f"/activities/volunteer/signups/{signup.pk}/confirm/").status_code == 404
    assert client.get("/activities/volunteer/staff/").status_code == 403


def test_a_shift_at_a_room_booking_takes_its_place_from_the_booking(volunteer):
    from activities.models import Booking, Venue

    hall = Venue.objects.create(name="多功能厅", in_center=True)
    starts = timezone.now() + timedelta(days=5)
    booking = Booking.objects.create(
        venue=hall,
        title="镇政府安全生产会议",
        organiser="清水镇人民政府",
        purpose=Booking.Purpose.HOSTED_MEETING,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )
    shift = make_shift(title="会议引导", kind=Shift.Kind.BOOKING, booking=booking, starts_at=starts, place="")
    assert shift.where == "多功能厅"
    assert sign(shift, volunteer).status == S.CONFIRMED
    with pytest.raises(IntegrityError), transaction.atomic():
        make_shift(title="缺预约", kind=Shift.Kind.BOOKING)


def test_calling_a_shift_off_cancels_every_place_and_tells_each_volunteer_why(shift, coordinator):
    first, second = make_volunteer(make_villager(name="吴桂英")), make_volunteer(make_villager(name="郑海涛"))
    sign(shift, first, "摄影")
    sign(shift, second, "摄影")  # on the waiting list
    assert services.shift_cancel(shift=shift, reason="活动因大风改期", by=coordinator) == 2
    shift.refresh_from_db()
    assert shift.cancelled_by == coordinator and shift.cancel_reason == "活动因大风改期"
    assert set(shift.signups.values_list("status", flat=True)) == {S.CANCELLED}
    for person in (first, second):
        assert "活动因大风改期" in Notice.objects.filter(member=person.member).latest("pk").text
    with pytest.raises(services.ActivityError):
        services.shift_cancel(shift=shift, reason="再取消一次", by=coordinator)


def test_staff_call_a_shift_off_in_the_admin_with_a_reason(shift, coordinator, volunteer):
    from django.test import Client

    sign(shift, volunteer)
    client = Client()
    client.force_login(coordinator)
    page = client.get(f"/admin/activities/shift/{shift.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data |= {"starts_at_0": timezone.localtime(shift.starts_at).strftime("%Y-%m-%d")}
    data |= {"starts_at_1": timezone.localtime(shift.starts_at).strftime("%H:%M:%S")}
    data |= {"ends_at_0": timezone.localtime(shift.ends_at).strftime("%Y-%m-%d")}
    data |= {"ends_at_1": timezone.localtime(shift.ends_at).strftime("%H:%M:%S")}
    data |= {"cancel_reason": "讲座取消"}
    data |= {"roles-TOTAL_FORMS": shift.roles.count(), "roles-INITIAL_FORMS": shift.roles.count()}
    for i, r in enumerate(shift.roles.order_by("pk")):
        data |= {
            f"roles-{i}-id": r.pk,
            f"roles-{i}-shift": shift.pk,
            f"roles-{i}-name": r.name,
            f"roles-{i}-needed": r.needed,
        }
        data |= {f"roles-{i}-skill": r.skill}
        if r.is_critical:
            data[f"roles-{i}-is_critical"] = "on"
    response = client.post(f"/admin/activities/shift/{shift.pk}/change/", data)
    assert response.status_code == 302
    shift.refresh_from_db()
    assert shift.cancelled_at and shift.cancelled_by == coordinator
    assert "讲座取消" in Notice.objects.filter(member=volunteer.member).latest("pk").text
