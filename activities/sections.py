"""What activities adds to the home page and to “My account”."""

from datetime import timedelta

from django.utils import timezone

from activities.models import CourseEnrolment, Event, Registration, TeamMembership
from activities.services.courses import course_attendance
from culturecenter.models import Member


def home_upcoming(request):
    now = timezone.now()
    events = list(
        Event.objects.public()
        .for_list()
        .upcoming(now)
        .filter(starts_at__lt=now + timedelta(days=7))
        .order_by("starts_at", "pk")[:8]
    )
    return {"events": events, "now": now}


def account_registrations(request):
    """The household's sign-ups: upcoming (with place), waiting, past and attended."""
    if not hasattr(request.user, "member"):
        return None
    now = timezone.now()
    registrations = (
        Registration.objects.for_household_of(request.user)
        .exclude(status=Registration.Status.CANCELLED)
        .with_waiting_position()
        .select_related("member", "event", "event__venue")
        .order_by("event__starts_at", "pk")
    )
    groups = {"upcoming": [], "waiting": [], "attended": [], "past": []}
    for registration in registrations:
        if registration.event.ends_at >= now:
            key = "waiting" if registration.status == Registration.Status.WAITING else "upcoming"
        else:
            key = "attended" if registration.attended else "past"
        groups[key].append(registration)
    groups["attended"].reverse()
    groups["past"].reverse()
    return {"groups": groups, "now": now}


def account_next_event(request):
    """The household's next event with a confirmed place, for the summary atop “My account”."""
    if not hasattr(request.user, "member"):
        return None
    registration = (
        Registration.objects.for_household_of(request.user)
        .filter(status=Registration.Status.CONFIRMED, event__ends_at__gte=timezone.now())
        .select_related("member", "event")
        .order_by("event__starts_at", "pk")
        .first()
    )
    return {"registration": registration}


def account_volunteering(request):
    """My standing as a volunteer and my approved hours, or the way to apply."""
    from activities.models import HoursEntry, Volunteer
    from activities.models.volunteers import hours_text

    member = getattr(request.user, "member", None)
    if member is None:
        return None
    volunteer = Volunteer.objects.filter(member=member).first()
    minutes = HoursEntry.objects.filter(volunteer=volunteer).total_minutes() if volunteer else 0
    return {"volunteer": volunteer, "hours": hours_text(minutes)}


def event_volunteer_prompt(request, event):
    """On the page of an event I attended: an invitation to volunteer, unless I already applied.
    Nobody has attended an event before its door opens, so upcoming events cost no query."""
    member = getattr(request.user, "member", None) if request.user.is_authenticated else None
    if member is None or event.checkin_opens_at > timezone.now():
        return None
    attended = Registration.objects.filter(
        event=event, member=member, checked_in_at__isnull=False, member__volunteer__isnull=True
    )
    return {} if attended.exists() else None


def home_news(request):
    """The latest three published articles; shared by every visitor and kept in the page cache."""
    from activities.models import Article

    articles = list(Article.objects.published().only("title", "slug", "summary", "published_at")[:3])
    return {"articles": articles} if articles else None


def account_teams_and_courses(request):
    """The household's teams (current memberships) and courses with attendance so far."""
    if not hasattr(request.user, "member"):
        return None
    people = Member.objects.managed_by(request.user)
    memberships = list(
        TeamMembership.objects.current().filter(member__in=people).select_related("team", "member").order_by("pk")
    )
    enrolments = list(
        CourseEnrolment.objects.filter(member__in=people)
        .exclude(status=CourseEnrolment.Status.WITHDRAWN)
        .select_related("course", "member")
        .order_by("-course__enrol_closes_at", "pk")
    )
    rows = []
    for enrolment in enrolments:
        if enrolment.confirmed_at:
            _sessions, [row] = course_attendance(enrolment.course, enrolments=[enrolment])
        else:
            row = None
        rows.append((enrolment, row))
    if not memberships and not rows:
        return None
    return {"memberships": memberships, "courses": rows}
