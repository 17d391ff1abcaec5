"""Volunteer personas and small factories: an accepted volunteer, a coordinator, a shift with roles."""

from datetime import datetime, time, timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from activities.models import Shift, ShiftRole, ShiftSignup, Volunteer
from culturecenter import roles
from tests.conftest import make_staff, make_villager


def make_volunteer(member=None, *, skills=("photography",), status=Volunteer.Status.ACCEPTED, **fields) -> Volunteer:
    member = member or make_villager(name=fields.pop("name", "赵国庆"))
    volunteer = Volunteer.objects.create(
        member=member,
        skills=list(skills),
        availability=["weekends"],
        village=member.village,
        status=status,
        decided_at=timezone.now() if status != Volunteer.Status.PENDING else None,
        **fields,
    )
    if status == Volunteer.Status.ACCEPTED and member.user_id:
        member.user.groups.add(Group.objects.get(name=roles.VOLUNTEER))
    return volunteer


def local(year, month, day, hour, minute=0):
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def make_shift(
    *,
    title="掐丝珐琅体验课 · 志愿服务",
    starts_at=None,
    hours=3,
    roles_needed=(("签到", 2), ("摄影", 1), ("引导", 3)),
    kind=Shift.Kind.DUTY,
    mode=Shift.Mode.SELF,
    coordinator=None,
    **fields,
) -> Shift:
    if starts_at is None:  # three days ahead, 10:00 to 13:00: a daytime shift, fine for minors
        day = timezone.localdate() + timedelta(days=3)
        starts_at = timezone.make_aware(datetime.combine(day, time(10)))
    shift = Shift.objects.create(
        title=title,
        kind=kind,
        place=fields.pop("place", "文化中心阅览室"),
        starts_at=starts_at,
        ends_at=fields.pop("ends_at", starts_at + timedelta(hours=hours)),
        mode=mode,
        coordinator=coordinator,
        **fields,
    )
    for name, needed in roles_needed:
        ShiftRole.objects.create(
            shift=shift,
            name=name,
            needed=needed,
            skill="photography" if name == "摄影" else "",
            is_critical=name == "签到",
        )
    return shift


def role(shift, name):
    return shift.roles.get(name=name)


def place(shift, volunteer, role_name="引导", status=ShiftSignup.Status.CONFIRMED, **fields) -> ShiftSignup:
    """A sign-up written directly, to arrange a scene."""
    return ShiftSignup.objects.create(
        shift=shift, role=role(shift, role_name), volunteer=volunteer, status=status, **fields
    )


@pytest.fixture
def coordinator(db):
    return make_staff("coordinator", roles.STAFF)


@pytest.fixture
def coordinator_client(coordinator):
    """A client of its own, so a test can hold a villager's and the coordinator's at once."""
    client = Client()
    client.force_login(coordinator)
    return client


@pytest.fixture
def volunteer(db):
    return make_volunteer()


@pytest.fixture
def volunteer_client(client, volunteer):
    client.force_login(volunteer.member.user)
    return client


@pytest.fixture
def shift(db, coordinator):
    return make_shift(coordinator=coordinator)
