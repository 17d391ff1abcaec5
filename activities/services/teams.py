"""Cultural teams: asking to join, accepting or declining, dated memberships, and the
leader's (or staff's) attendance at practices.

Who may manage a team: staff with `manage_team`, or its leader (队长) — a member with a
login and an open membership as leader of that team, and of no other."""

from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import JoinRequest, Mark, PracticeAttendance, Team, TeamMembership
from activities.services.events import ActivityError
from culturecenter.lib.locks import locking
from culturecenter.models import Member
from culturecenter.services import notify


def may_manage_team(user, team: Team) -> bool:
    """Staff, or this team's current leader."""
    if not user.is_authenticated:
        return False
    if user.has_perm("activities.manage_team"):
        return True
    member = getattr(user, "member", None)
    return (
        member is not None
        and team.memberships.current().filter(member=member, role=TeamMembership.Role.LEADER).exists()
    )


def teams_managed_by(user):
    """The teams `user` may manage: every team for staff, else the ones they lead now."""
    if user.has_perm("activities.manage_team"):
        return Team.objects.all()
    member = getattr(user, "member", None)
    if member is None:
        return Team.objects.none()
    led = TeamMembership.objects.current().filter(member=member, role=TeamMembership.Role.LEADER)
    return Team.objects.filter(pk__in=led.values("team"))


@transaction.atomic
def join_request_create(*, team: Team, member: Member, by, message: str = "") -> JoinRequest:
    """A villager asks for themself or a household member; the leader and staff decide."""
    if team.memberships.current().filter(member=member).exists():
        raise ActivityError(_("%(name)s is already a member of this team.") % {"name": member.name})
    try:
        with transaction.atomic():
            request = JoinRequest.objects.create(team=team, member=member, message=message, asked_by=by)
    except IntegrityError:
        raise ActivityError(
            _("%(name)s has already asked to join; the team will answer soon.") % {"name": member.name}
        ) from None
    leaders = team.memberships.current().filter(role=TeamMembership.Role.LEADER).select_related("member")
    for leadership in leaders:
        notify(
            member=leadership.member,
            text=_("%(name)s asks to join %(team)s.") % {"name": member.name, "team": team.name},
            url=reverse("activities:team_manage", args=[team.slug]),
        )
    return request


@locking
def join_request_decide(*, request: JoinRequest, accept: bool, by) -> JoinRequest:
    """Accept (a membership from today) or decline a pending request; the person is told."""
    request = JoinRequest.objects.select_for_update().select_related("team", "member").get(pk=request.pk)
    if not may_manage_team(by, request.team):
        raise ActivityError(_("Only the team leader or staff can answer requests to join."))
    if request.status != JoinRequest.Status.PENDING:
        raise ActivityError(_("This request was already answered."))
    request.status = JoinRequest.Status.ACCEPTED if accept else JoinRequest.Status.DECLINED
    request.decided_by, request.decided_at = by, timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    if accept:
        membership_start(team=request.team, member=request.member, by=by)
        text = _("Welcome: %(name)s is now a member of %(team)s.")
    else:
        text = _("%(team)s could not take %(name)s this time.")
    notify(
        member=request.member,
        text=text % {"name": request.member.name, "team": request.team.name},
        url=request.team.get_absolute_url(),
    )
    return request


@transaction.atomic
def membership_start(
    *, team: Team, member: Member, by, role: str = TeamMembership.Role.MEMBER, joined_on: date | None = None
) -> TeamMembership:
    """A dated membership; refused while the person has an open one in this team."""
    try:
        with transaction.atomic():
            return TeamMembership.objects.create(
                team=team, member=member, role=role, joined_on=joined_on or timezone.localdate(), added_by=by
            )
    except IntegrityError:
        raise ActivityError(_("%(name)s is already a member of this team.") % {"name": member.name}) from None


@transaction.atomic
def membership_end(*, membership: TeamMembership, by, left_on: date | None = None) -> TeamMembership:
    """The person leaves on `left_on` (today); the membership stays in the history."""
    if membership.left_on:
        raise ActivityError(_("This membership has already ended."))
    membership.left_on = left_on or timezone.localdate()
    membership.full_clean(validate_unique=False)
    membership.save(update_fields=["left_on"])
    return membership


@locking
def practice_attendance_record(*, booking, team: Team, marks: dict[int, str], by, all_present: bool = False) -> int:
    """The leader or staff mark a practice: members on the practice's day are listed;
    "all present" marks only those not yet marked, so a reopened register keeps its marks."""
    if not may_manage_team(by, team) or booking.team_id != team.pk:
        raise ActivityError(_("Only the team leader or staff can take attendance."))
    day = timezone.localdate(booking.starts_at)
    members = {m.member_id: m for m in team.memberships.on(day)}
    existing = {a.member_id: a for a in PracticeAttendance.objects.filter(booking=booking)}
    wanted = {int(k): v for k, v in marks.items() if v in Mark.values and int(k) in members}
    if all_present:
        for member_id in members:
            if member_id not in existing and member_id not in wanted:
                wanted[member_id] = Mark.PRESENT
    changed = 0
    for member_id, value in wanted.items():
        record = existing.get(member_id)
        if record is None:
            PracticeAttendance.objects.create(booking=booking, member_id=member_id, mark=value, marked_by=by)
            changed += 1
        elif record.mark != value:
            record.mark, record.marked_by, record.marked_at = value, by, timezone.now()
            record.save(update_fields=["mark", "marked_by", "marked_at"])
            changed += 1
    return changed
