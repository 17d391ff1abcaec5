from datetime import timedelta

import pytest
from django.utils import timezone

from activities import services
from activities.models import CoordinatorAlert, ShiftSignup, Volunteer
from culturecenter import roles
from culturecenter.models import Notice
from tests.activities.volunteers.conftest import make_shift, make_volunteer, place
from tests.conftest import make_dependant, make_event, make_villager, sign_up

pytestmark = pytest.mark.django_db


def test_a_villager_applies_from_the_volunteer_page_and_staff_accept_them(
    villager_client, villager, coordinator_client
):
    response = villager_client.post(
        "/activities/volunteer/apply/",
        {
            "skills": ["photography", "first_aid"],
            "availability": ["weekends"],
            "village": "xiaqingshui",
            "note": "周末有空",
        },
    )
    assert response.status_code == 302
    volunteer = Volunteer.objects.get(member=villager)
    assert volunteer.status == Volunteer.Status.PENDING
    assert volunteer.skills == ["photography", "first_aid"]
    assert "王建华" in coordinator_client.get("/activities/volunteer/staff/").content.decode()

    coordinator_client.post(f"/activities/volunteer/staff/applications/{volunteer.pk}/", {"action": "accept"})

    volunteer.refresh_from_db()
    assert volunteer.status == Volunteer.Status.ACCEPTED
    assert volunteer.decided_by.username == "coordinator" and volunteer.decided_at
    assert villager.user.groups.filter(name=roles.VOLUNTEER).exists()
    assert Notice.objects.filter(member=villager, text__contains="志愿者").exists()


def test_the_account_page_invites_to_apply_and_then_shows_the_standing(villager_client, villager):
    assert "/activities/volunteer/apply/" in villager_client.get("/accounts/me/").content.decode()
    make_volunteer(villager)
    body = villager_client.get("/accounts/me/").content.decode()
    assert "/accounts/me/volunteering/" in body


def test_the_page_of_an_attended_event_invites_to_volunteer(villager_client, villager):
    event = make_event(starts_in=-timedelta(days=1))
    assert "/activities/volunteer/apply/" not in villager_client.get(event.get_absolute_url()).content.decode()
    sign_up(event, villager, checked_in_at=event.starts_at)
    assert "/activities/volunteer/apply/" in villager_client.get(event.get_absolute_url()).content.decode()


def test_declining_needs_a_reason_the_applicant_is_told(coordinator):
    volunteer = make_volunteer(status=Volunteer.Status.PENDING)
    with pytest.raises(services.ActivityError, match="Say why|说明"):
        services.volunteer_decide(volunteer=volunteer, accept=False, by=coordinator)
    services.volunteer_decide(volunteer=volunteer, accept=False, by=coordinator, note="暂无合适岗位")
    assert Notice.objects.filter(member=volunteer.member, text__contains="暂无合适岗位").exists()


def test_a_minor_cannot_be_accepted_before_the_guardian_consents(coordinator):
    teen = make_villager(name="周文博", birth_year=timezone.localdate().year - 15)
    volunteer = services.volunteer_apply(
        member=teen, skills=["reading"], availability=["weekends"], village=teen.village, by=teen.user
    )
    assert not volunteer.has_guardian_consent
    with pytest.raises(services.ActivityError):
        services.volunteer_decide(volunteer=volunteer, accept=True, by=coordinator)
    with pytest.raises(services.ActivityError):
        services.volunteer_guardian_consent(volunteer=volunteer, by=teen.user)  # not their own consent

    services.volunteer_guardian_consent(volunteer=volunteer, by=coordinator, guardian_name="周建国")
    volunteer.refresh_from_db()
    assert volunteer.guardian_consent_way == Volunteer.ConsentWay.DESK and volunteer.guardian_name == "周建国"
    services.volunteer_decide(volunteer=volunteer, accept=True, by=coordinator)


def test_a_guardian_applying_for_their_child_gives_consent_with_their_own_login(villager_client, villager):
    child = make_dependant(villager, name="王小雨", birth_year=timezone.localdate().year - 14)
    form = {"skills": ["reading"], "availability": ["weekends"], "village": "xiaqingshui", "member": child.pk}
    response = villager_client.post("/activities/volunteer/apply/", form)
    assert response.status_code == 200  # the consent box must be ticked
    assert not Volunteer.objects.filter(member=child).exists()

    villager_client.post("/activities/volunteer/apply/", {**form, "guardian_consents": "on"})
    volunteer = Volunteer.objects.get(member=child)
    assert volunteer.has_guardian_consent
    assert volunteer.guardian_consent_by == villager.user and volunteer.guardian_consent_way == "online"


def test_another_villager_cannot_apply_for_someone_elses_child(client, villager):
    child = make_dependant(villager, birth_year=timezone.localdate().year - 14)
    stranger = make_villager(name="李秀兰")
    client.force_login(stranger.user)
    response = client.post(
        "/activities/volunteer/apply/",
        {"availability": ["weekends"], "village": "xiaqingshui", "member": child.pk, "guardian_consents": "on"},
    )
    assert response.status_code == 404


def test_withdrawn_consent_cancels_future_shifts_and_tells_the_coordinator(villager, coordinator):
    child = make_dependant(villager, name="王小雨", birth_year=timezone.localdate().year - 14)
    volunteer = make_volunteer(
        child, guardian_consent_at=timezone.now(), guardian_consent_by=villager.user, guardian_consent_way="online"
    )
    coming = make_shift(coordinator=coordinator, starts_at=timezone.now() + timedelta(days=2))
    later = make_shift(title="阅览室值班", coordinator=coordinator, starts_at=timezone.now() + timedelta(days=9))
    waiting_adult = make_volunteer(make_villager(name="吴桂英"))
    for s in (coming, later):
        signup = place(s, volunteer, "签到")
    place(coming, waiting_adult, "签到", status=ShiftSignup.Status.WAITING)
    place(coming, make_volunteer(make_villager(name="郑海涛")), "签到")

    cancelled = services.volunteer_consent_withdraw(volunteer=volunteer, by=villager.user)

    assert cancelled == 2
    assert not volunteer.signups.holding().exists()
    signup.refresh_from_db()
    assert signup.cancelled_by == villager.user
    assert CoordinatorAlert.objects.filter(coordinator=coordinator, text__contains="王小雨").count() == 2
    assert waiting_adult.signups.get().status == ShiftSignup.Status.CONFIRMED  # the freed place moved up
    with pytest.raises(services.ActivityError):
        services.shift_signup(shift=later, role=later.roles.get(name="引导"), volunteer=volunteer, by=villager.user)
