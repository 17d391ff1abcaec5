"""Scenes for teams and course series: a dance room, a vetted teacher, a course."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from activities import services
from activities.models import Booking, Course, CourseSession, Organiser, Presenter, Team, TeamMembership, Venue

# A Monday early in the autumn term; courses run on Tuesdays and Thursdays.
TODAY = date(2026, 9, 7)


def aware(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def make_room(name="文化中心舞蹈排练厅", capacity=30):
    return Venue.objects.get_or_create(name=name, defaults={"kind": Venue.Kind.ROOM, "capacity": capacity})[0]


def make_teacher(vetting=Presenter.Vetting.VETTED):
    return Presenter.objects.create(name="杨红", kind=Presenter.Kind.TEACHER, vetting=vetting)


def make_course(*, capacity=25, allocation=Course.Allocation.FIRST_COME, opens=None, closes=None, **fields):
    """A published course whose enrolment is open now (one week either side), without sessions."""
    now = timezone.now()
    return Course.objects.create(
        title=fields.pop("title", "舞蹈基础课 秋季班"),
        description="站姿、节奏与基本步伐。",
        venue=fields.pop("venue", None) or make_room(),
        teacher=fields.pop("teacher", None) or make_teacher(),
        capacity=capacity,
        allocation=allocation,
        enrol_opens_at=opens or now - timedelta(days=7),
        enrol_closes_at=closes or now + timedelta(days=7),
        status=fields.pop("status", Course.Status.APPROVED),
        **fields,
    )


def add_sessions(course, starts: list[datetime], minutes=90):
    return [
        CourseSession.objects.create(course=course, starts_at=s, ends_at=s + timedelta(minutes=minutes)) for s in starts
    ]


def make_team(name="清水镇广场舞队", slug="guangchangwu"):
    return Team.objects.create(slug=slug, name=name, description="每周在广场排练《清水谣》。")


def join(team, member, *, role=TeamMembership.Role.MEMBER, joined_on=None, left_on=None):
    return TeamMembership.objects.create(
        team=team, member=member, role=role, joined_on=joined_on or date(2025, 1, 1), left_on=left_on
    )


def make_practice(team, starts: datetime, venue=None, by=None):
    venue = venue or make_room("文化中心门前广场")
    booking = Booking.objects.create(
        venue=venue,
        title=f"{team.name}排练",
        organiser=team.name,
        organiser_kind=Organiser.TEAM,
        purpose=Booking.Purpose.PRACTICE,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=90),
        team=team,
    )
    services.occupancy_claim(
        venue=venue,
        kind="practice",
        title=booking.title,
        starts_at=starts,
        ends_at=booking.ends_at,
        by=by,
        booking=booking,
    )
    return booking


@pytest.fixture
def room(db):
    return make_room()


@pytest.fixture
def course(db):
    return make_course()
