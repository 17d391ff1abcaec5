"""District-scale rows of the newer areas: the center's rooms and their calendar, teams with
a year of weekly practice, course series, volunteers with shifts and hours, news and a
closed prize quiz. Bulk inserts, deterministic, valid under every constraint; no two claims
on a room overlap (the PostgreSQL exclusion constraint would refuse them)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from activities import tickets
from activities.demo_rooms import RESOURCES, ROOMS
from activities.models import (
    Article,
    Booking,
    BookingSeries,
    Course,
    CourseEnrolment,
    CourseSession,
    HoursEntry,
    Mark,
    Occupancy,
    Organiser,
    PracticeAttendance,
    Presenter,
    SessionAttendance,
    Shift,
    ShiftRole,
    ShiftSignup,
    Team,
    TeamMembership,
    Venue,
    Volunteer,
)
from activities.models import Skill as VolunteerSkill
from bench.bulk import insert
from culturecenter.models import Member, User
from feedback import quizzes
from feedback.demo_quizzes import FIRE
from feedback.models import Answer, Channel, Choice, Question, Questionnaire, QuizDraw, Response, seed_hash

if TYPE_CHECKING:
    from bench.scale import Scale

AREA_SIZES = {
    "team_members": 1_200,
    "volunteers": 800,
    "shifts": 3_000,
    "articles": 600,
    "quiz_attempts": 5_000,
}
EVENT_SETUP, EVENT_CLEANUP = 30, 30  # minutes a room is held around an event in it
PRACTICE_WEEKS_BACK, PRACTICE_WEEKS_AHEAD = 46, 6  # a year of weekly practice
SHIFT_DAYS_BACK, SHIFT_DAYS_AHEAD = 730, 60

HALL, READING, CRAFT, DANCE, SQUARE = ROOMS  # the demo's five rooms, in its order

# slug, name, description, practising room, weekday, from, to (hour, minute), share of the members
TEAMS = [
    ("guangchangwu", "清水镇广场舞队", "每周五傍晚在门前广场练习，农闲时天天跳。", SQUARE, 4, (18, 30), (20, 30), 0.22),
    ("huaxin-qingshui", "花信清水", "镇里的青年舞蹈队，排练原创舞蹈《花信清水》。", DANCE, 1, (19, 0), (21, 0), 0.12),
    ("hechangdui", "清水镇合唱队", "六个村的歌友组成，每周四晚在多功能厅排练。", HALL, 3, (19, 0), (21, 0), 0.18),
    ("jianzhi", "黄安坨剪纸队", "黄安坨剪纸的传承人带着村民剪窗花。", CRAFT, 2, (14, 0), (16, 0), 0.10),
    ("taipinggu", "京西太平鼓队", "打太平鼓、走花会。", None, None, None, None, 0.08),
    ("yangge", "燕家台秧歌队", "正月里走村串户扭秧歌。", None, None, None, None, 0.08),
    ("shufa", "清水书法协会", "每月一次笔会。", None, None, None, None, 0.06),
    ("xiqu", "下清水戏曲票友会", "京剧、评剧票友自娱自乐。", None, None, None, None, 0.06),
    ("sheying", "清水摄影小组", "拍家乡的山和古村。", None, None, None, None, 0.04),
    ("taiji", "洪水口太极拳队", "清晨在村文化广场打太极。", None, None, None, None, 0.06),
]
# title, room, weekday, from, to, first session (weeks from today), sessions
COURSES = [
    ("掐丝珐琅入门班", CRAFT, 5, (9, 0), (11, 0), -20, 10),
    ("黄安坨剪纸传承班", CRAFT, 5, (14, 0), (16, 0), -6, 12),
    ("京西太平鼓培训班", DANCE, 6, (9, 0), (11, 0), -4, 10),
    ("老年人智能手机课", READING, 0, (9, 30), (11, 30), 2, 8),
]
COURSE_PLACES, COURSE_WAITING = 30, 8
EVENT_ROLES = [("签到", 2, "", True), ("摄影", 1, VolunteerSkill.PHOTOGRAPHY, False), ("引导", 3, "", False)]
DUTY_ROLES = [("值班", 2, "", True)]
NEWS_BODY = (
    "## 活动回顾\n\n{title}在{place}举办，{people}名村民参加。\n\n"
    "## 村民说\n\n“家门口就有这样的活动，真好。”一位{village}村民说。\n\n"
    "文化中心将继续以需定供，办好群众身边的文化活动。"
)


def size(scale: Scale, name: str) -> int:
    return max(1, round(AREA_SIZES[name] * scale.factor))


class RoomDiary:
    """The held (blocked) times of each room, by local day: a claim is taken only where it is free."""

    def __init__(self):
        self.days = defaultdict(list)

    def free(self, venue_id: int, start: datetime, end: datetime) -> bool:
        held = self.days[venue_id, timezone.localtime(start).date()]
        return all(end <= other_start or other_end <= start for other_start, other_end in held)

    def hold(self, venue_id: int, start: datetime, end: datetime) -> None:
        self.days[venue_id, timezone.localtime(start).date()].append((start, end))


@dataclass
class Plans:
    """What the fixed weekly uses of the rooms will be; planned before the events, which give way."""

    diary: RoomDiary
    rooms: dict[str, Venue]
    practices: list[tuple[int, datetime, datetime]]  # team index, start, end
    sessions: list[tuple[int, datetime, datetime]]  # course index, start, end


def center_venues(scale: Scale, rooms: list[Venue]) -> dict[str, Venue]:
    """The center's rooms with their facts (and its equipment on loan); the rest are village sites."""
    by_name = {v.name: v for v in rooms}
    for name, (kind, capacity, equipment, description) in ROOMS.items():
        venue = by_name[name]
        venue.kind, venue.capacity, venue.equipment, venue.description = kind, capacity, equipment, description
    for venue in rooms:
        if not venue.in_center:
            venue.kind = Venue.Kind.SITE
    Venue.objects.bulk_update(rooms, ["kind", "capacity", "equipment", "description"])
    Venue.objects.bulk_create(
        [Venue(name=n, kind=Venue.Kind.RESOURCE, equipment=e, in_center=True) for n, e in RESOURCES]
    )
    return {name: by_name[name] for name in ROOMS}


def plan_rooms(scale: Scale, rooms: dict[str, Venue]) -> Plans:
    """The teams' weekly practice and the courses' sessions, held in the diary first."""
    diary, today = RoomDiary(), scale.today
    practices, sessions = [], []
    for index, (*_names, room, weekday, start, end, _share) in enumerate(TEAMS):
        if room is None:
            continue
        first = today - timedelta(weeks=PRACTICE_WEEKS_BACK)
        first += timedelta(days=(weekday - first.weekday()) % 7)
        for week in range(PRACTICE_WEEKS_BACK + PRACTICE_WEEKS_AHEAD):
            day = first + timedelta(weeks=week)
            practices.append((index, scale.at(day, *start), scale.at(day, *end)))
    for index, (_title, _room, weekday, start, end, weeks_from_now, count) in enumerate(COURSES):
        first = today + timedelta(weeks=weeks_from_now)
        first += timedelta(days=(weekday - first.weekday()) % 7)
        for week in range(count):
            day = first + timedelta(weeks=week)
            sessions.append((index, scale.at(day, *start), scale.at(day, *end)))
    for index, start, end in practices:
        diary.hold(rooms[TEAMS[index][3]].pk, start, end)
    for index, start, end in sessions:
        diary.hold(rooms[COURSES[index][1]].pk, start, end)
    return Plans(diary, rooms, practices, sessions)


def place_event(plans: Plans, event, sites: list[Venue], rng) -> bool:
    """Hold the event's room, or (when the room is taken then) send it out to a village site.
    Returns whether the event claims a center room."""
    if not event.venue.in_center:
        return False
    event.setup_minutes, event.cleanup_minutes = EVENT_SETUP, EVENT_CLEANUP
    start = event.starts_at - timedelta(minutes=EVENT_SETUP)
    end = event.ends_at + timedelta(minutes=EVENT_CLEANUP)
    if event.status == event.Status.CANCELLED:
        return False  # a cancelled event holds nothing
    if plans.diary.free(event.venue.pk, start, end):
        plans.diary.hold(event.venue.pk, start, end)
        return True
    event.venue = rng.choice(sites)
    event.setup_minutes = event.cleanup_minutes = 0
    return False


def event_occupancies(scale: Scale, claimed: list) -> None:
    """One Occupancy per event in a center room, as submitting it would have made."""

    def rows():
        for pk, event in claimed:
            occupancy = Occupancy(
                venue_id=event.venue_id, kind=Occupancy.Kind.EVENT, title=event.title, is_public=True,
                starts_at=event.starts_at, ends_at=event.ends_at, setup_minutes=event.setup_minutes,
                cleanup_minutes=event.cleanup_minutes, event_id=pk,
            )  # fmt: skip
            occupancy.set_blocked_range()
            yield occupancy

    insert(Occupancy, rows(), total=len(claimed), label="event room claims")


def load(scale: Scale, plans: Plans) -> None:
    staff = User.objects.get(username="bench-staff")
    teams(scale, plans, staff)
    courses(scale, plans, staff)
    volunteers(scale, staff)
    news(scale, staff)
    quiz(scale, staff)


def _adults(scale: Scale) -> list[tuple[int, str]]:
    """(member id, village) of the generated adults under 76, in id order."""
    year = scale.today.year
    return list(
        # a range, not `pk__in`: 100,000 ids are more than SQLite takes as parameters
        Member.objects.filter(pk__range=(scale.member_ids[0], scale.member_ids[-1]))
        .filter(birth_year__range=(year - 75, year - 18))
        .order_by("pk")
        .values_list("pk", "village")
    )


def teams(scale: Scale, plans: Plans, staff) -> None:
    rng, today = scale.rng, scale.today
    coaches = list(Presenter.objects.order_by("pk")[: len(TEAMS)])
    created = Team.objects.bulk_create(
        [
            Team(
                slug=slug,
                name=name,
                description=text,
                founded_on=date(today.year - rng.randint(3, 20), 3, 1),
                coach=coaches[n % len(coaches)] if room else None,
                practice_note="" if room else "农闲时在村文化广场练习",
            )  # fmt: skip
            for n, (slug, name, text, room, *_rest) in enumerate(TEAMS)
        ]
    )
    adults = [pk for pk, _village in _adults(scale)]
    total = size(scale, "team_members")
    memberships, current = [], defaultdict(list)  # team index → (member id, joined, left)
    for index, team in enumerate(created):
        share = TEAMS[index][-1]
        people = rng.sample(adults, min(len(adults), max(2, round(total * share))))
        for position, member_id in enumerate(people):
            joined = today - timedelta(days=rng.randint(30, 5 * 365))
            left = None
            if position > 1 and rng.random() < 0.15:
                left = joined + timedelta(days=rng.randint(20, max(21, (today - joined).days)))
                left = min(left, today)
            role = TeamMembership.Role.LEADER if position == 0 else TeamMembership.Role.MEMBER
            memberships.append(
                TeamMembership(
                    team=team, member_id=member_id, role=role, joined_on=joined, left_on=left, added_by=staff
                )
            )
            current[index].append((member_id, joined, left))
    insert(TeamMembership, iter(memberships), total=len(memberships), label="team memberships")
    _practices(scale, plans, created, current, staff)


def _practices(scale: Scale, plans: Plans, created: list[Team], people: dict, staff) -> None:
    rng, now = scale.rng, timezone.now()
    series = {}
    for index, (_slug, name, _text, room, weekday, start, end, _share) in enumerate(TEAMS):
        if room is None:
            continue
        days = [timezone.localtime(s).date() for i, s, _e in plans.practices if i == index]
        series[index] = BookingSeries.objects.create(
            venue=plans.rooms[room], title=f"{name}排练", weekday=weekday, starts_time=time(*start),
            ends_time=time(*end), first_date=min(days), last_date=max(days), created_by=staff,
        )  # fmt: skip
    bookings = [
        Booking(
            venue=plans.rooms[TEAMS[index][3]],
            title=f"{created[index].name}排练",
            organiser=created[index].name,
            organiser_kind=Organiser.TEAM,
            purpose=Booking.Purpose.PRACTICE,
            attendance=30,
            starts_at=start,
            ends_at=end,
            status=Booking.Status.CONFIRMED,
            series=series[index],
            team=created[index],
            created_by=staff,
            checked_in_at=start if start < now else None,
        )  # fmt: skip
        for index, start, end in plans.practices
    ]
    booking_ids = insert(Booking, iter(bookings), total=len(bookings), label="practice bookings", keep_ids=True)

    def claims():
        for pk, booking in zip(booking_ids, bookings, strict=True):
            occupancy = Occupancy(
                venue_id=booking.venue_id, kind=Occupancy.Kind.PRACTICE, title=booking.title,
                starts_at=booking.starts_at, ends_at=booking.ends_at, booking_id=pk, created_by=staff,
            )  # fmt: skip
            occupancy.set_blocked_range()
            yield occupancy

    insert(Occupancy, claims(), total=len(bookings), label="practice room claims")
    team_index = {team.pk: index for index, team in enumerate(created)}

    def marks():
        for pk, booking in zip(booking_ids, bookings, strict=True):
            if booking.starts_at >= now:
                continue
            day = timezone.localtime(booking.starts_at).date()
            for member_id, joined, left in people[team_index[booking.team_id]]:
                if joined <= day and (left is None or left > day):
                    mark = rng.choices(Mark.values, weights=[70, 8, 12, 10])[0]
                    yield PracticeAttendance(booking_id=pk, member_id=member_id, mark=mark, marked_by=staff)

    insert(PracticeAttendance, marks(), total=len(bookings) * 50, label="practice attendance")


def courses(scale: Scale, plans: Plans, staff) -> None:
    rng, now = scale.rng, timezone.now()
    teachers = list(Presenter.objects.filter(kind=Presenter.Kind.TEACHER).order_by("pk")[: len(COURSES)])
    made = []
    for index, (title, room, *_rest) in enumerate(COURSES):
        starts = [s for i, s, _e in plans.sessions if i == index]
        made.append(
            Course(
                title=title,
                description=f"{title}：每周一次，共{len(starts)}次课，结业颁发证书。",
                venue=plans.rooms[room],
                teacher=teachers[index % len(teachers)],
                capacity=COURSE_PLACES,
                enrol_opens_at=starts[0] - timedelta(days=30),
                enrol_closes_at=starts[0] - timedelta(days=1),
                status=Course.Status.APPROVED,
                created_by=staff,
            )  # fmt: skip
        )
    Course.objects.bulk_create(made)
    sessions = [
        CourseSession(course=made[index], starts_at=start, ends_at=end, changed_by=staff)
        for index, start, end in plans.sessions
    ]
    CourseSession.objects.bulk_create(sessions)
    claims = []
    for session in sessions:
        claim = Occupancy(
            venue_id=session.course.venue_id, kind=Occupancy.Kind.SESSION, title=session.course.title,
            starts_at=session.starts_at, ends_at=session.ends_at, session=session, created_by=staff,
        )  # fmt: skip
        claim.set_blocked_range()
        claims.append(claim)
    Occupancy.objects.bulk_create(claims)
    adults = [pk for pk, _village in _adults(scale)]
    enrolments, number = [], 0
    for course in made:
        for place, member_id in enumerate(rng.sample(adults, min(len(adults), COURSE_PLACES + COURSE_WAITING))):
            number += 1
            queued = course.enrol_opens_at + timedelta(minutes=3 * place + 1)
            confirmed = place < COURSE_PLACES
            enrolments.append(
                CourseEnrolment(
                    course=course,
                    member_id=member_id,
                    number=place + 1,
                    code=tickets.signed(_code(number)),
                    status=CourseEnrolment.Status.CONFIRMED if confirmed else CourseEnrolment.Status.WAITING,
                    queued_at=queued,
                    confirmed_at=queued if confirmed else None,
                    enrolled_by=staff,
                )  # fmt: skip
            )
    CourseEnrolment.objects.bulk_create(enrolments)
    confirmed = defaultdict(list)
    for enrolment in enrolments:
        if enrolment.status == CourseEnrolment.Status.CONFIRMED:
            confirmed[enrolment.course_id].append(enrolment.pk)
    insert(
        SessionAttendance,
        (
            SessionAttendance(
                session=session,
                enrolment_id=pk,
                mark=rng.choices(Mark.values, weights=[80, 6, 8, 6])[0],
                marked_by=staff,
                marked_at=session.ends_at,
            )  # fmt: skip
            for session in sessions
            if session.starts_at < now
            for pk in confirmed[session.course_id]
        ),
        total=len(sessions) * COURSE_PLACES,
        label="course attendance",
    )


def _code(number: int) -> str:
    """A ticket token of course places, in the ticket alphabet, counted from the far end."""
    digits = []
    for _ in range(tickets.TOKEN_LENGTH):
        number, digit = divmod(number, len(tickets.ALPHABET))
        digits.append(tickets.ALPHABET[-1 - digit])
    return "".join(reversed(digits))


def volunteers(scale: Scale, staff) -> None:
    rng, now, today = scale.rng, timezone.now(), scale.today
    adults = _adults(scale)
    chosen = rng.sample(adults, min(len(adults), size(scale, "volunteers")))
    skills = VolunteerSkill.values
    volunteer_ids = insert(
        Volunteer,
        (
            Volunteer(
                member_id=member_id,
                village=village,
                skills=rng.sample(skills, rng.randint(0, 2)),
                availability=rng.sample(["weekday_daytime", "evenings", "weekends"], rng.randint(1, 2)),
                status=Volunteer.Status.ACCEPTED,
                applied_at=now - timedelta(days=rng.randint(60, 1500)),
                decided_at=now - timedelta(days=30),
                decided_by=staff,
            )  # fmt: skip
            for member_id, village in chosen
        ),
        total=len(chosen),
        label="volunteers",
        keep_ids=True,
    )
    total = size(scale, "shifts")
    first, last = now - timedelta(days=SHIFT_DAYS_BACK), now + timedelta(days=SHIFT_DAYS_AHEAD)
    at_events = [(pk, start) for pk, start, _c in scale.events if first <= start <= last and pk not in scale.cancelled]
    at_events = sorted(rng.sample(at_events, min(len(at_events), total // 2)), key=lambda row: row[1])
    reading = Venue.objects.get(name=READING)
    plans = [
        Shift(
            title="活动志愿服务",
            kind=Shift.Kind.EVENT,
            event_id=pk,
            starts_at=start - timedelta(hours=1),
            ends_at=start + timedelta(hours=2, minutes=30),
            coordinator=staff,
            created_by=staff,
        )  # fmt: skip
        for pk, start in at_events
    ]
    duty_count = total - len(plans)
    span = SHIFT_DAYS_BACK + SHIFT_DAYS_AHEAD
    for n in range(duty_count):
        day = today - timedelta(days=SHIFT_DAYS_BACK - n * span // max(1, duty_count))
        evening = n % 2 == 1
        start = scale.at(day, 18 if evening else 14)
        plans.append(
            Shift(
                title="阅览室延时开放值班" if evening else "阅览室值班",
                kind=Shift.Kind.DUTY,
                venue=reading,
                starts_at=start,
                ends_at=start + timedelta(hours=3),
                mode=Shift.Mode.SELF,
                coordinator=staff,
                created_by=staff,
            )  # fmt: skip
        )
    shift_ids = insert(Shift, iter(plans), total=len(plans), label="volunteer shifts", keep_ids=True)
    roles = []
    for pk, shift in zip(shift_ids, plans, strict=True):
        for name, needed, skill, critical in EVENT_ROLES if shift.kind == Shift.Kind.EVENT else DUTY_ROLES:
            roles.append(ShiftRole(shift_id=pk, name=name, needed=needed, skill=skill, is_critical=critical))
    role_ids = insert(ShiftRole, iter(roles), total=len(roles), label="shift roles", keep_ids=True)
    starts = dict(zip(shift_ids, plans, strict=True))
    signups, served = [], []
    by_shift = defaultdict(list)
    for role_pk, role in zip(role_ids, roles, strict=True):
        by_shift[role.shift_id].append((role_pk, role))
    for shift_pk, shift_roles in by_shift.items():
        shift = starts[shift_pk]
        past = shift.ends_at < now
        wanted = sum(role.needed for _pk, role in shift_roles)
        people = iter(rng.sample(volunteer_ids, min(len(volunteer_ids), wanted)))
        for role_pk, role in shift_roles:
            filled = role.needed if past else rng.randint(0, role.needed)
            for _ in range(filled):
                volunteer_id = next(people, None)
                if volunteer_id is None:
                    break
                came = past and rng.random() < 0.93
                signup = ShiftSignup(
                    shift_id=shift_pk, role_id=role_pk, volunteer_id=volunteer_id,
                    status=ShiftSignup.Status.CONFIRMED, queued_at=shift.starts_at - timedelta(days=rng.randint(1, 20)),
                    signed_up_by=staff, checked_in_at=shift.starts_at if came else None,
                    checked_out_at=shift.ends_at if came else None, no_show=past and not came,
                )  # fmt: skip
                signups.append(signup)
                served.append(came)
    signup_ids = insert(ShiftSignup, iter(signups), total=len(signups), label="shift sign-ups", keep_ids=True)

    def hours():
        for pk, signup, came in zip(signup_ids, signups, served, strict=True):
            if came:
                shift = starts[signup.shift_id]
                yield HoursEntry(
                    volunteer_id=signup.volunteer_id, signup_id=pk, kind=HoursEntry.Kind.ATTENDANCE,
                    status=HoursEntry.Status.APPROVED, service_date=timezone.localtime(shift.starts_at).date(),
                    minutes=shift.minutes, content=shift.title, decided_at=shift.ends_at + timedelta(days=1),
                    decided_by=staff, created_by=staff,
                )  # fmt: skip

    insert(HoursEntry, hours(), total=sum(served), label="approved hours")


def news(scale: Scale, staff) -> None:
    rng, now = scale.rng, timezone.now()
    past = [(pk, start) for pk, start, _c in scale.events if start < now and pk not in scale.cancelled]
    total = size(scale, "articles")
    reported = sorted(rng.sample(past, min(len(past), total)), key=lambda row: row[1])
    titles = dict(scale.event_titles)
    plans = []
    for n, (pk, start) in enumerate(reported):
        published = start + timedelta(days=rng.randint(1, 3), hours=2)
        title = titles[pk]
        plans.append(
            Article(
                title=f"{title[:60]}圆满举办",
                slug=f"{timezone.localtime(published):%Y-%m-%d}-{n}",
                summary=f"{title}举办，村民踊跃参加。",
                body=NEWS_BODY.format(
                    title=title,
                    place="文化中心",
                    people=rng.randint(20, 120),
                    village=rng.choice(["上清水", "下清水", "燕家台", "黄安坨", "洪水口", "西达摩"]),
                ),
                status=Article.Status.PUBLISHED,
                publish_at=published,
                published_at=published,
                created_by=staff,
            )  # fmt: skip
        )
    article_ids = insert(Article, iter(plans), total=len(plans), label="news articles", keep_ids=True)
    Reports = Article.events.through
    insert(
        Reports,
        (Reports(article_id=a, event_id=e) for a, (e, _s) in zip(article_ids, reported, strict=True)),
        total=len(article_ids),
        label="articles' events",
    )


def quiz(scale: Scale, staff) -> None:
    """A closed 消防安全有奖知识问答 with its attempts scored by the database and its draw run."""
    rng, now = scale.rng, timezone.now()
    opens, closes = now - timedelta(days=60), now - timedelta(days=30)
    questionnaire = Questionnaire.objects.create(
        title="消防安全有奖知识问答", introduction="答对80分以上即可参加抽奖，共20份奖品。", opens_at=opens,
        closes_at=closes, is_quiz=True, prize_threshold=80, prize_count=20, reserve_count=5, claim_days=14,
    )  # fmt: skip
    asked = []
    for order, (text, kind, options) in enumerate(FIRE):
        question = Question.objects.create(questionnaire=questionnaire, order=order, text=text, kind=kind, points=10)
        choices = Choice.objects.bulk_create(
            Choice(question=question, order=i, text=label, is_correct=mark == "*")
            for i, (mark, label) in enumerate(options)
        )
        asked.append((question, choices))
    seed = "bench-fire-quiz"
    draw = QuizDraw.objects.create(
        questionnaire=questionnaire, seed=seed, seed_sha256=seed_hash(seed), committed_by=staff, prize_count=20,
        reserve_count=5,
    )  # fmt: skip
    QuizDraw.objects.filter(pk=draw.pk).update(committed_at=opens - timedelta(days=2))  # before it opened
    total = size(scale, "quiz_attempts")
    adults = _adults(scale)
    people = rng.sample(adults, min(len(adults), total))
    response_ids = insert(
        Response,
        (
            Response(
                questionnaire=questionnaire,
                member_id=member_id,
                channel=Channel.WEB,
                village=village,
                age_group=rng.choice(["adult", "adult", "elderly"]),
            )  # fmt: skip
            for member_id, village in people
        ),
        total=len(people),
        label="quiz attempts",
        keep_ids=True,
    )
    answer_ids = insert(
        Answer,
        (Answer(response_id=pk, question=question) for pk in response_ids for question, _c in asked),
        total=len(response_ids) * len(asked),
        label="quiz answers",
        keep_ids=True,
    )
    Picked = Answer.choices.through
    skills = [rng.random() for _ in response_ids]

    def picked():
        for index, answer_id in enumerate(answer_ids):
            question, choices = asked[index % len(asked)]
            right = [c for c in choices if c.is_correct]
            if rng.random() < 0.55 + 0.45 * skills[index // len(asked)]:
                chosen = right
            elif question.kind == "multiple":
                chosen = rng.sample(choices, rng.randint(1, 2))
            else:
                chosen = [rng.choice([c for c in choices if not c.is_correct])]
            for choice in chosen:
                yield Picked(answer_id=answer_id, choice_id=choice.pk)

    insert(Picked, picked(), total=round(len(answer_ids) * 1.1), label="quiz chosen options")
    scores = quizzes.score_responses(questionnaire_id=questionnaire.pk)
    scored = [Response(pk=pk, score=scores.get(pk, 0)) for pk in response_ids]
    Response.objects.bulk_update(scored, ["score"], batch_size=1000)
    quizzes.draw_run(questionnaire=questionnaire, by=staff, now=closes + timedelta(hours=16))
