"""Demo teams and courses: the 广场舞队 and 花信清水 with members and practices, the past
舞蹈基础课 autumn course with a season of attendance, and a winter course whose lottery
is open for applications now. Idempotent: nothing is added once the teams exist."""

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from activities import services, tickets
from activities.models import (
    Booking,
    Course,
    CourseEnrolment,
    CourseReviewStep,
    CourseSession,
    Event,
    Honour,
    Mark,
    Occupancy,
    Organiser,
    Performance,
    PracticeAttendance,
    Presenter,
    SessionAttendance,
    Team,
    TeamMembership,
    Venue,
    seed_digest,
)
from culturecenter.models import Member, SpecialDay, Village

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
ELDER_GIVEN = [
    "秀英",
    "桂兰",
    "淑珍",
    "玉兰",
    "凤英",
    "秀兰",
    "桂英",
    "翠花",
    "玉梅",
    "金凤",
    "素芬",
    "秀云",
    "春兰",
    "丽华",
]
TEEN_GIVEN = [
    "子涵",
    "雨桐",
    "欣怡",
    "思远",
    "梓轩",
    "若曦",
    "浩宇",
    "一诺",
    "嘉怡",
    "明轩",
    "语桐",
    "佳琪",
    "天佑",
    "书瑶",
]


def _aware(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _people(rng, count, given, villages, years, *, women_share=1.0):
    """Members without a login (served at the desk)."""
    made = []
    for n in range(count):
        name = rng.choice(SURNAMES) + given[n % len(given)]
        if rng.random() > women_share:
            name = rng.choice(SURNAMES) + rng.choice(["德顺", "长林", "国华", "建国"])
        person = Member.objects.create(name=name, village=rng.choice(villages), birth_year=rng.randint(*years))
        person.assign_reader_card()
        made.append(person)
    return made


def load(stdout) -> None:
    if Team.objects.exists():
        return
    rng = random.Random(15)
    User = get_user_model()
    staff, reviewer = User.objects.get(username="staff"), User.objects.get(username="reviewer")
    square = Venue.objects.filter(name="文化中心门前广场").first()
    dance_room = Venue.objects.filter(name="文化中心舞蹈排练厅").first()
    if square is None or dance_room is None:
        return
    today = timezone.localdate()
    yang = Presenter.objects.filter(name="杨红").first()
    coach = Presenter.objects.create(
        name="韩雪",
        kind=Presenter.Kind.TEACHER,
        organisation="北京摄影家协会",
        bio="职业摄影师，花信清水青少年艺术团教练。",
        vetting=Presenter.Vetting.VETTED,
        vetted_by=reviewer,
        vetted_at=timezone.now() - timedelta(days=400),
    )

    # ---- 广场舞队
    dance = Team.objects.create(
        slug="guangchangwu",
        name="清水镇广场舞队",
        description=(
            "文化中心组建的广场舞队，老师专门为队伍编排了舞蹈《清水谣》。队员多是上清水、下清水的大姐，"
            "每周在文化中心门前广场排练，常在镇里的活动上表演。"
        ),
        founded_on=date(2019, 5, 1),
        coach=yang,
        practice_note="每周五晚 18:30–20:30，文化中心门前广场",
    )
    leader = Member.objects.filter(mobile="13800000005").first()  # 杨丽娟, the contact of the rooms demo's practice
    if leader:
        TeamMembership.objects.create(
            team=dance, member=leader, role=TeamMembership.Role.LEADER, joined_on=date(2019, 5, 1), added_by=staff
        )
    elders = _people(
        rng, 30, ELDER_GIVEN, [Village.SHANG_QINGSHUI, Village.XIA_QINGSHUI], (1948, 1966), women_share=0.9
    )
    for n, person in enumerate(elders):
        joined = date(2019, 5, 1) + timedelta(days=rng.randint(0, 2000))
        left = joined + timedelta(days=rng.randint(200, 600)) if n % 9 == 8 else None
        if left and left >= today:
            left = None
        TeamMembership.objects.create(
            team=dance, member=person, joined_on=min(joined, today), left_on=left, added_by=staff
        )
    # Friday evenings on the square, as the rooms demo's repeating booking has it.
    practices = _weekly_practices(
        dance, square, weekday=4, hour=(18, 30), minutes=120, staff=staff, today=today, keyword="广场舞"
    )
    practices = list(Booking.objects.filter(team=dance, starts_at__lte=timezone.now()).order_by("starts_at"))
    current_on = {}
    for booking in practices:
        if booking.starts_at > timezone.now():
            continue
        day = timezone.localdate(booking.starts_at)
        members = current_on.setdefault(day, list(dance.memberships.on(day).values_list("member_id", flat=True)))
        PracticeAttendance.objects.bulk_create(
            PracticeAttendance(
                booking=booking,
                member_id=member_id,
                mark=rng.choices(list(Mark.values), weights=[80, 6, 8, 6])[0],
                marked_by=leader.user if leader and leader.user else staff,
            )
            for member_id in members
        )
    for event in Event.objects.filter(title__contains="广场舞", status=Event.Status.APPROVED)[:3]:
        Performance.objects.create(team=dance, event=event, piece="清水谣")

    # ---- 花信清水
    youth = Team.objects.create(
        slug="huaxin-qingshui",
        name="花信清水",
        description=("2024 年成立的青少年艺术团，由专业老师指导摄影、舞蹈与朗诵。队员用镜头记录家乡清水的山水与人。"),
        founded_on=date(2024, 3, 1),
        coach=coach,
        practice_note="每周六下午，文化中心舞蹈排练厅",
    )
    teens = list(Member.objects.filter(mobile="13800000008")) + list(
        Member.objects.filter(name__in=["高明阳", "陈思雨"])
    )
    teens += _people(
        rng, 12, TEEN_GIVEN, [Village.SHANG_QINGSHUI, Village.XIA_QINGSHUI, Village.YANJIATAI], (2009, 2014)
    )
    for n, person in enumerate(teens):
        TeamMembership.objects.create(
            team=youth,
            member=person,
            role=TeamMembership.Role.LEADER if n == 0 else TeamMembership.Role.MEMBER,
            joined_on=date(2024, 3, 1) + timedelta(days=rng.randint(0, 300)),
            added_by=staff,
        )
    Honour.objects.create(
        team=youth,
        title="2024 年“华文奖”全国大学生文化旅游创作大赛 摄影类三等奖",
        awarded_on=date(2024, 11, 20),
        awarding_body="“华文奖”大赛组委会",
        note="队员以清水镇山村为题材的摄影作品获奖。",
    )
    _weekly_practices(youth, dance_room, weekday=5, hour=(14, 0), minutes=120, staff=staff, today=today, weeks=4)

    autumn = _autumn_course(rng, dance_room, yang or coach, staff, reviewer)
    winter = _winter_course(rng, dance_room, yang or coach, staff, reviewer)
    stdout.write(
        f"  teams & courses: {Team.objects.count()} teams, {TeamMembership.objects.count()} memberships, "
        f"{autumn.sessions.count() + winter.sessions.count()} course sessions"
    )


def _weekly_practices(team, venue, *, weekday, hour, minutes, staff, today, weeks=10, keyword=""):
    """The team's practices on the room calendar: the rooms demo's repeating practice
    booking is linked to the team when there is one (its coming dates), and the past
    weeks' practices are booked here so that attendance has a history."""
    linked = Booking.objects.filter(
        purpose=Booking.Purpose.PRACTICE, team__isnull=True, title__contains=keyword or team.name
    )
    has_series = linked.update(team=team) > 0
    made = []
    first = today - timedelta(days=(today.weekday() - weekday) % 7 + 7 * (weeks - 1))
    for n in range(weeks + (0 if has_series else 3)):
        starts = _aware(first + timedelta(weeks=n), *hour)
        if has_series and starts > timezone.now():
            break
        ends = starts + timedelta(minutes=minutes)
        booking = Booking.objects.create(
            venue=venue,
            title=f"{team.name}排练",
            organiser=team.name,
            organiser_kind=Organiser.TEAM,
            purpose=Booking.Purpose.PRACTICE,
            attendance=20,
            starts_at=starts,
            ends_at=ends,
            team=team,
            created_by=staff,
        )
        try:
            services.occupancy_claim(
                venue=venue,
                kind=Occupancy.Kind.PRACTICE,
                title=booking.title,
                starts_at=starts,
                ends_at=ends,
                contact=staff,
                by=staff,
                booking=booking,
            )
        except services.ActivityError:
            booking.delete()  # the room is taken that evening: no practice
            continue
        made.append(booking)
    return made


def _approve(course, staff, reviewer):
    CourseReviewStep.objects.create(course=course, action=CourseReviewStep.Action.SUBMITTED, actor=staff)
    CourseReviewStep.objects.create(
        course=course, action=CourseReviewStep.Action.APPROVED, actor=reviewer, opinion="内容健康，同意开班。"
    )
    course.status = Course.Status.APPROVED
    course.save(update_fields=["status"])


def _autumn_course(rng, room, teacher, staff, reviewer):
    for day in range(1, 8):
        SpecialDay.objects.get_or_create(date=date(2026, 10, day), defaults={"is_closed": True, "note": "国庆闭馆"})
    course = Course.objects.create(
        title="舞蹈基础课 秋季班",
        description="零基础也能学：站姿、节奏、基本步伐，学完能跟上广场舞队的《清水谣》。每周二、四晚上。",
        venue=room,
        teacher=teacher,
        capacity=25,
        min_age=8,
        enrol_opens_at=_aware(date(2026, 8, 20), 9),
        enrol_closes_at=_aware(date(2026, 9, 7), 17),
        created_by=staff,
    )
    plan = services.session_plan(
        course=course,
        first_day=date(2026, 9, 8),
        weekdays=[1, 3],
        starts=time(19),
        ends=time(20, 30),
        count=16,
        skip_clashes=True,
    )
    sessions = services.sessions_create(course=course, plan=plan, by=staff)
    _approve(course, staff, reviewer)
    people = rng.sample(list(Member.objects.present().filter(birth_year__lte=2018).order_by("pk")), 26)
    enrolments = []
    for n, person in enumerate(people[:26]):
        confirmed = n < 25
        enrolments.append(
            CourseEnrolment.objects.create(
                course=course,
                member=person,
                number=n + 1,
                code=tickets.new_code(),
                status=CourseEnrolment.Status.CONFIRMED if confirmed else CourseEnrolment.Status.WAITING,
                queued_at=course.enrol_opens_at + timedelta(hours=n),
                confirmed_at=course.enrol_opens_at + timedelta(hours=n) if confirmed else None,
                enrolled_by=staff,
            )
        )
    # After the third session one person gives up their place and the first waiting joins late.
    quitter, late = enrolments[3], enrolments[25]
    quitter.status, quitter.withdrawn_at = CourseEnrolment.Status.WITHDRAWN, sessions[2].ends_at + timedelta(hours=2)
    quitter.save()
    late.status, late.confirmed_at = CourseEnrolment.Status.CONFIRMED, quitter.withdrawn_at
    late.save()
    # The sixth session was called off (the teacher was ill).
    services.session_cancel(session=sessions[5], by=staff, reason="老师生病，本次课取消")
    for session in CourseSession.objects.filter(course=course, status=CourseSession.Status.SCHEDULED):
        expected = CourseEnrolment.objects.expected_at(session)
        SessionAttendance.objects.bulk_create(
            SessionAttendance(
                session=session,
                enrolment=e,
                mark=rng.choices(list(Mark.values), weights=[78, 8, 7, 7 + 30 * (e.number % 11 == 0)])[0],
                marked_by=staff,
                marked_at=session.ends_at,
            )
            for e in expected
        )
    services.certificates_issue(course=course, by=staff)
    return course


def _winter_course(rng, room, teacher, staff, reviewer):
    course = Course.objects.create(
        title="舞蹈基础课 冬季班",
        description="冬季班报名人数多、名额有限，采用公开抽签：截止前公布种子的哈希，截止后公开种子，人人可复核。",
        venue=room,
        teacher=teacher,
        capacity=20,
        min_age=8,
        enrol_opens_at=_aware(date(2026, 11, 20), 9),
        enrol_closes_at=_aware(date(2026, 12, 15), 17),
        allocation=Course.Allocation.LOTTERY,
        reserved_elderly=3,
        reserved_disabled=1,
        reserved_hardship=1,
        created_by=staff,
    )
    plan = services.session_plan(
        course=course,
        first_day=date(2026, 12, 29),
        weekdays=[1, 4],
        starts=time(18, 30),
        ends=time(20),
        count=12,
        skip_clashes=True,
    )
    services.sessions_create(course=course, plan=plan, by=staff)
    _approve(course, staff, reviewer)
    seed = "4f1c2a9e0b7d43c8a6e15f2d9b3c7a10"
    course.seed, course.seed_hash = seed, seed_digest(seed)
    course.seed_committed_at, course.seed_committed_by = _aware(date(2026, 11, 19), 16), staff
    course.save()
    candidates = Member.objects.present().filter(birth_year__lte=2018).exclude(mobile="13800000001").order_by("pk")
    people = rng.sample(list(candidates), 14)
    for n, person in enumerate(people):
        pools = services.reserved_pools_of(course, person)
        CourseEnrolment.objects.create(
            course=course,
            member=person,
            number=n + 1,
            code=tickets.new_code(),
            status=CourseEnrolment.Status.APPLIED,
            pools=",".join(pools),
            queued_at=course.enrol_opens_at + timedelta(hours=5 * n),
            enrolled_by=staff,
        )
    return course
