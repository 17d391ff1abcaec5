"""Demo volunteers: about 25 people from all six villages (students home for the summer,
retired teachers, the photography-minded members of 花信清水), shifts on the demo events and
on a 文化下乡 trip to 黄安坨, Saturday reading-room duty, a season of approved hours, one
pending approval and one late cancellation. Idempotent: nothing happens once volunteers exist."""

import random
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from activities import services
from activities.models import (
    CoordinatorAlert,
    Event,
    HoursEntry,
    Recognition,
    Shift,
    ShiftRole,
    ShiftSignup,
    Venue,
    Volunteer,
)
from activities.services.volunteers import _record_attendance
from culturecenter.models import Household, Member, Village
from culturecenter.services import member_create

DEMO_PASSWORD = "qingshui-demo-2024"
V = Village

# New people with a login: (mobile, name, village, birth year, skills, availability)
NEW_PEOPLE = [
    # retired teachers
    ("13800000101", "冯玉清", V.SHANG_QINGSHUI, 1958, ["reading", "crafts"], ["weekday_daytime", "weekends"]),
    ("13800000102", "韩志刚", V.YANJIATAI, 1960, ["reading", "guiding"], ["weekday_daytime"]),
    ("13800000103", "苏慧敏", V.HONGSHUIKOU, 1962, ["crafts", "first_aid"], ["weekday_daytime", "weekends"]),
    ("13800000104", "马德林", V.XIDAMO, 1957, ["reading", "sound"], ["weekends"]),
    # 花信清水, the photography-minded
    ("13800000105", "李晓彤", V.XIA_QINGSHUI, 1998, ["photography"], ["weekends", "evenings"]),
    ("13800000106", "高子墨", V.SHANG_QINGSHUI, 2001, ["photography", "sound"], ["weekends"]),
    ("13800000107", "谷雨婷", V.YANJIATAI, 1999, ["photography", "guiding"], ["evenings", "weekends"]),
    ("13800000108", "邢嘉怡", V.HONGSHUIKOU, 2003, ["photography"], ["weekends"]),
    # students home for the summer
    ("13800000109", "王梓涵", V.HUANGANTUO, 2005, ["guiding", "reading"], ["weekday_daytime", "weekends"]),
    ("13800000110", "刘思远", V.XIDAMO, 2006, ["guiding", "sound"], ["weekday_daytime"]),
    ("13800000111", "杜佳琪", V.XIA_QINGSHUI, 2007, ["reading"], ["weekends"]),
    ("13800000112", "霍天宇", V.HONGSHUIKOU, 2004, ["first_aid", "guiding"], ["weekends"]),
    # a driver for the trips
    ("13800000113", "崔建平", V.HUANGANTUO, 1975, ["driving", "sound"], ["weekday_daytime", "weekends"]),
]
# Demo villagers who already have a login: mobile → (skills, availability)
EXISTING = {
    "13800000001": (["photography", "guiding"], ["weekends"]),
    "13800000002": (["crafts"], ["weekends"]),
    "13800000003": (["first_aid", "guiding"], ["evenings"]),
    "13800000004": (["driving"], ["weekends"]),
    "13800000006": (["sound", "guiding"], ["weekday_daytime", "weekends"]),
    "13800000007": (["photography", "reading"], ["weekends", "evenings"]),
    "13800000008": (["guiding"], ["weekends"]),
    "13800000009": (["reading", "crafts"], ["weekday_daytime"]),
}
PENDING = {"13800000005": (["crafts"], ["weekends"]), "13800000010": (["sound"], ["evenings"])}
# Teenagers of the demo households: (name, guardian's mobile, consent online or at the desk)
MINORS = [("陈思雨", "13800000004", "online"), ("高明阳", "13800000003", "desk")]


def _local(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _people(staff):
    rng = random.Random(16)
    volunteers = []
    now = timezone.now()
    User = get_user_model()
    for mobile, name, village, birth_year, skills, availability in NEW_PEOPLE:
        member = Member.objects.filter(mobile=mobile).first()
        if member is None:
            user = User.objects.create_user(username=f"v-demo-{mobile}", password=DEMO_PASSWORD)
            member = member_create(
                user=user,
                household=Household.objects.create(name=f"{name}家"),
                name=name,
                mobile=mobile,
                village=village,
                birth_year=birth_year,
                consented_at=now,
                by=None,
            )
        volunteers.append((member, skills, availability))
    for mobile, (skills, availability) in EXISTING.items():
        volunteers.append((Member.objects.get(mobile=mobile), skills, availability))
    accepted = []
    for member, skills, availability in volunteers:
        volunteer = services.volunteer_apply(
            member=member, skills=skills, availability=availability, village=member.village, by=member.user
        )
        Volunteer.objects.filter(pk=volunteer.pk).update(applied_at=now - timedelta(days=rng.randint(100, 160)))
        accepted.append(services.volunteer_decide(volunteer=volunteer, accept=True, by=staff))
    for name, guardian_mobile, way in MINORS:
        guardian = Member.objects.get(mobile=guardian_mobile)
        child = guardian.household.members.get(name=name)
        by = guardian.user if way == "online" else staff
        volunteer = services.volunteer_apply(
            member=child, skills=["reading", "guiding"], availability=["weekends"], village=child.village, by=by
        )
        if way == "desk":
            services.volunteer_guardian_consent(volunteer=volunteer, by=staff, guardian_name=guardian.name)
        accepted.append(services.volunteer_decide(volunteer=volunteer, accept=True, by=staff))
    for mobile, (skills, availability) in PENDING.items():
        member = Member.objects.get(mobile=mobile)
        services.volunteer_apply(
            member=member,
            skills=skills,
            availability=availability,
            village=member.village,
            note="周末可以帮忙",
            by=member.user,
        )
    return accepted


def _shift(title, kind, starts_at, ends_at, roles, staff, **fields):
    shift = Shift.objects.create(
        title=title, kind=kind, starts_at=starts_at, ends_at=ends_at, coordinator=staff, created_by=staff, **fields
    )
    for name, needed, skill, adults_only, critical in roles:
        ShiftRole.objects.create(
            shift=shift, name=name, needed=needed, skill=skill, adults_only=adults_only, is_critical=critical
        )
    return shift


EVENT_ROLES = [("签到", 2, "", False, True), ("摄影", 1, "photography", False, False), ("引导", 3, "", False, False)]
TRIP_ROLES = [
    ("驾驶", 1, "driving", True, True),
    ("摄影", 1, "photography", False, False),
    ("引导", 2, "", False, False),
]
DUTY_ROLES = [("值班", 2, "", False, True)]


def _fill(shift, volunteers, rng, staff, *, past):
    """Sign people up through the rules (skills first for skilled roles); for a past shift,
    check them in and out at believable times and record their hours."""
    on_shift = set()
    for role in shift.roles.all():
        fitting = [v for v in volunteers if (not role.skill or role.skill in v.skills)]
        rng.shuffle(fitting)
        taken = 0
        wanted = role.needed if past else rng.randint(0, max(0, role.needed - 1))
        for volunteer in fitting:
            if taken >= wanted:
                break
            if volunteer.pk in on_shift:
                continue
            try:
                if past:
                    if services.overlapping_signup(volunteer, shift) or (volunteer.is_minor and role.adults_only):
                        continue
                    signup = ShiftSignup.objects.create(
                        shift=shift,
                        role=role,
                        volunteer=volunteer,
                        status=ShiftSignup.Status.CONFIRMED,
                        queued_at=shift.starts_at - timedelta(days=rng.randint(3, 12)),
                        signed_up_by=volunteer.member.user,
                        confirmed_at=shift.starts_at - timedelta(hours=rng.randint(20, 40)),
                    )
                else:
                    own = volunteer.member.user
                    signup = services.shift_signup(
                        shift=shift, role=role, volunteer=volunteer, by=own or staff, assign=own is None
                    )
            except services.ActivityError:
                continue
            taken += 1
            on_shift.add(volunteer.pk)
            if past:
                _attend(signup, rng, staff)


def _attend(signup, rng, staff):
    shift = signup.shift
    if rng.random() < 0.06:
        ShiftSignup.objects.filter(pk=signup.pk).update(no_show=True)
        return
    signup.checked_in_at = shift.starts_at + timedelta(minutes=rng.choice([-10, -5, 0, 0, 5, 15]))
    signup.checked_out_at = shift.ends_at + timedelta(minutes=rng.choice([-15, 0, 0, 5, 10, 15]))
    signup.checked_in_by = signup.checked_out_by = staff
    signup.save(update_fields=["checked_in_at", "checked_out_at", "checked_in_by", "checked_out_by"])
    _record_attendance(signup, by=staff, now=signup.checked_out_at)


def load(stdout) -> None:
    if Volunteer.objects.exists():
        return
    User = get_user_model()
    staff = User.objects.get(username="staff")
    rng = random.Random(2026)
    volunteers = _people(staff)
    now = timezone.now()
    today = timezone.localdate()
    reading_room = Venue.objects.filter(name="文化中心阅览室").first()

    # Saturday reading-room duty, 14:00–17:00: a season behind us and four weeks ahead.
    last_saturday = today - timedelta(days=(today.weekday() - 5) % 7 or 7)
    for week in range(-12, 5):
        day = last_saturday + timedelta(weeks=week)
        starts, ends = _local(day, 14), _local(day, 17)
        shift = _shift("阅览室值班", Shift.Kind.DUTY, starts, ends, DUTY_ROLES, staff, venue=reading_room)
        _fill(shift, volunteers, rng, staff, past=ends < now)

    # The demo events, past (with hours) and coming (with places taken).
    approved = Event.objects.filter(status=Event.Status.APPROVED).select_related("venue")
    past = list(approved.filter(starts_at__gte=now - timedelta(days=60), ends_at__lt=now).order_by("-starts_at")[:8])
    coming = list(approved.filter(starts_at__gt=now + timedelta(hours=2)).order_by("starts_at")[:8])
    trip_ahead = approved.filter(title="黄安坨剪纸迎新年", starts_at__gt=now).first()
    if trip_ahead and trip_ahead not in coming:
        coming.append(trip_ahead)
    for event in past + coming:
        outreach = not event.venue.in_center
        title = f"{event.title} · {'文化下乡' if outreach else '志愿服务'}"
        roles = TRIP_ROLES if outreach else EVENT_ROLES
        starts = event.starts_at - timedelta(minutes=60 if outreach else 30)
        ends = event.ends_at + timedelta(minutes=30 if outreach else 0)
        mode = Shift.Mode.APPROVAL if outreach else Shift.Mode.SELF
        kind = Shift.Kind.OUTREACH if outreach else Shift.Kind.EVENT
        shift = _shift(title, kind, starts, ends, roles, staff, event=event, mode=mode)
        _fill(shift, volunteers, rng, staff, past=ends < now)

    # The 文化下乡 trip to 黄安坨 that had no check-in: hours reported afterwards, one still pending.
    trip = Event.objects.filter(title="黄安坨爱国主义剪纸").first()
    teacher = Volunteer.objects.get(member__name="冯玉清")
    day = timezone.localdate(trip.starts_at) if trip else today - timedelta(days=45)
    services.hours_report(
        volunteer=teacher,
        service_date=day,
        minutes=210,
        content="文化下乡 · 黄安坨剪纸辅导",
        reason="随车前往黄安坨村委会广场，协助赵桂兰老师辅导孩子剪纸（无签到）",
        by=teacher.member.user,
    )

    # One late cancellation: last Saturday's duty, cancelled that morning.
    duty = Shift.objects.filter(title="阅览室值班", starts_at__lt=now).order_by("-starts_at").first()
    late = Volunteer.objects.get(member__name="杜佳琪")
    signup = ShiftSignup.objects.filter(shift=duty, volunteer=late).first()
    role = duty.roles.get()
    if signup is None:
        signup = ShiftSignup.objects.create(shift=duty, role=role, volunteer=late, status=ShiftSignup.Status.CONFIRMED)
    cancelled_at = duty.starts_at - timedelta(hours=5)
    HoursEntry.objects.filter(signup=signup).delete()
    ShiftSignup.objects.filter(pk=signup.pk).update(
        status=ShiftSignup.Status.CANCELLED,
        cancelled_at=cancelled_at,
        cancelled_by=late.member.user,
        is_late_cancel=True,
        checked_in_at=None,
        checked_out_at=None,
        no_show=False,
    )
    CoordinatorAlert.objects.create(
        shift=duty,
        coordinator=staff,
        created_at=cancelled_at,
        text=f"临时取消：{late.member.name} 不能参加“阅览室值班”（{timezone.localtime(duty.starts_at):%m-%d %H:%M}–"
        f"{timezone.localtime(duty.ends_at):%H:%M}）的值班岗位。",
    )

    # Trainings and commendations.
    for volunteer in volunteers:
        Recognition.objects.create(
            volunteer=volunteer,
            kind="training",
            title="文化志愿者岗前培训",
            date=today - timedelta(days=95),
            recorded_by=staff,
        )
    for name in ("吴桂英", "李晓彤"):
        Recognition.objects.create(
            volunteer=Volunteer.objects.get(member__name=name),
            kind="commendation",
            title="清水镇优秀文化志愿者",
            date=today - timedelta(days=10),
            recorded_by=staff,
        )
    busiest = max(volunteers, key=lambda v: v.hours.total_minutes())
    certificate = services.certificate_issue(volunteer=busiest, by=busiest.member.user or staff)
    counted = HoursEntry.objects.counted().count()
    stdout.write(
        f"  volunteers: {Volunteer.objects.count()} people, {Shift.objects.count()} shifts, "
        f"{counted} approved hour entries; a certificate to verify: {certificate.serial}"
    )
