"""District-scale data for the benchmark: 门头沟区 has about 390,000 residents; the portal
must stay fast with all of them in it. Deterministic (seeded), in bulk, valid under every
constraint, and shaped like the town: villages, 书香伴我行 campaigns, summer events."""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from activities import tickets
from activities.demo import EVENTS as DEMO_EVENTS
from activities.demo import PRESENTERS as DEMO_PRESENTERS
from activities.demo import VENUES as DEMO_VENUES
from activities.models import AudienceTag, Category, Event, Presenter, Registration, Venue
from bench import scale_areas
from bench.bulk import insert
from culturecenter import roles
from culturecenter.models import Household, Member, User, Village
from feedback.demo import QUESTIONS, WISHES
from feedback.models import (
    Answer,
    Channel,
    Choice,
    Evaluation,
    Need,
    NeedStep,
    NeedSupport,
    Question,
    Questionnaire,
    Response,
)
from lending.demo import GIVEN, SURNAMES
from lending.isbn import isbn13_check_digit
from lending.models import Book, Campaign, CheckIn, ClassLetter, Copy, Enrolment, Hold, Loan, LoanRules

SHANGHAI = ZoneInfo("Asia/Shanghai")

SIZES = {
    "members": 100_000,
    "events": 20_000,
    "registrations": 500_000,
    "books": 50_000,
    "copies": 120_000,
    "loans": 1_000_000,
    "checkins": 1_000_000,
    "answers": 100_000,
}

# Logins the benchmark uses; their mobile numbers are outside the generated range.
BENCH_VILLAGER = "13900000001"
BENCH_LIBRARIAN = "bench-librarian"
BENCH_STAFF = "bench-staff"
CURRENT_CAMPAIGN = "winter-2026"
# A word in one title only, and words in very many: the catalogue's rare and common searches.
RARE_TITLE = "永定河畔的守林人"
COMMON_WORD = "故事"

VILLAGES = [v for v in Village.values if v != Village.OTHER]
VILLAGE_NAMES = ["上清水", "下清水", "燕家台", "黄安坨", "洪水口", "西达摩"]
TITLE_PARTS = (
    ["中国", "北京", "京西", "门头沟", "乡村", "儿童", "少年", "家庭", "农家", "山区", "古村", "百姓"],
    ["历史", "民俗", "科普", "果树栽培", "养殖", "健康", "烹饪", "书法", "剪纸", "诗词", "地理", "植物", "天文"],
    [COMMON_WORD, "手册", "读本", "知识问答", "百科", "入门", "图说", "100例", "漫谈", "常识"],
)
PUBLISHERS = ["人民文学出版社", "中国农业出版社", "北京出版社", "接力出版社", "科学普及出版社", "中华书局"]
REFLECTION = "今天读了《{title}》，很有收获，明天继续。"


@dataclass
class Scale:
    """What one run generates and the ids it hands from one part to the next."""

    factor: float = 1.0
    rng: random.Random = field(default_factory=lambda: random.Random(2024))
    today: date = field(default_factory=timezone.localdate)
    member_ids: list[int] = field(default_factory=list)
    book_ids: list[int] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    events: list[tuple[int, datetime, int]] = field(default_factory=list)  # id, start, capacity
    cancelled: set[int] = field(default_factory=set)  # ids of cancelled events
    event_titles: list[tuple[int, str]] = field(default_factory=list)
    rooms: scale_areas.Plans | None = None  # the center's rooms and the weekly uses held in them
    librarian_id: int | None = None

    def size(self, name: str) -> int:
        return max(1, round(SIZES[name] * self.factor))

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)


def load(scale: Scale) -> None:
    people(scale)
    activities(scale)
    library(scale)
    campaigns(scale)
    feedback(scale)
    scale_areas.load(scale, scale.rooms)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would give in production


def people(scale: Scale) -> None:
    rng, total = scale.rng, scale.size("members")
    sizes = []
    while sum(sizes) < total:
        sizes.append(min(rng.choice([1, 2, 2, 3, 3, 4]), total - sum(sizes)))
    household_ids = insert(Household, (Household() for _ in sizes), total=len(sizes), label="households", keep_ids=True)
    user_ids = insert(
        User,
        (User(username=f"15{n:09d}", password="!") for n in range(len(sizes))),
        total=len(sizes),
        label="logins",
        keep_ids=True,
    )
    consented = timezone.now()

    def members():
        number = 0
        for index, (household_id, user_id, size) in enumerate(zip(household_ids, user_ids, sizes, strict=True)):
            village = rng.choice(VILLAGES)
            for position in range(size):
                guardian = position == 0
                yield Member(
                    household_id=household_id,
                    user_id=user_id if guardian else None,
                    mobile=f"15{index:09d}" if guardian else None,
                    consented_at=consented if guardian else None,
                    name=scale.name(),
                    village=village,
                    birth_year=rng.randint(1950, 2000) if guardian else rng.randint(1935, 2022),
                    is_disabled=rng.random() < 0.02,
                    has_hardship=rng.random() < 0.03,
                    reader_card=f"R9{number:08d}",
                )
                number += 1

    scale.member_ids = insert(Member, members(), total=total, label="members", keep_ids=True)
    _bench_logins(scale)


def _bench_logins(scale: Scale) -> None:
    villager = User.objects.create_user(BENCH_VILLAGER)
    household = Household.objects.create(name="王家")
    Member.objects.create(
        user=villager, household=household, name="王建华", mobile=BENCH_VILLAGER, village=Village.XIA_QINGSHUI,
        birth_year=1986, consented_at=timezone.now(), reader_card="R800000001",
    )  # fmt: skip
    Member.objects.create(household=household, name="王小雨", village=Village.XIA_QINGSHUI, birth_year=2017)
    librarian = User.objects.create_user(BENCH_LIBRARIAN, is_staff=True)
    librarian.groups.add(Group.objects.get(name=roles.LIBRARIAN))
    scale.librarian_id = librarian.pk
    staff = User.objects.create_user(BENCH_STAFF, is_staff=True)
    staff.groups.add(*Group.objects.filter(name__in=[roles.STAFF, roles.REVIEWER]))


def activities(scale: Scale) -> None:
    rng = scale.rng
    venues = Venue.objects.bulk_create(
        [Venue(name=name, village=village, in_center=in_center) for name, village, in_center in DEMO_VENUES.values()]
        + [Venue(name=f"{n}号村文化大院", village=rng.choice(VILLAGES), in_center=False) for n in range(1, 31)]
    )
    scale.rooms = scale_areas.plan_rooms(scale, scale_areas.center_venues(scale, venues))
    sites = [venue for venue in venues if not venue.in_center]
    known = [(name, kind, org) for name, kind, org, _vetting in DEMO_PRESENTERS.values()]
    known += [(scale.name(), Presenter.Kind.TEACHER, "门头沟区文化馆") for _ in range(300)]
    presenters = Presenter.objects.bulk_create(
        [Presenter(name=n, kind=kind, organisation=org, vetting=Presenter.Vetting.VETTED) for n, kind, org in known]
    )
    total, span_days, future_days = scale.size("events"), 3650, 90
    upcoming = max(3, total * future_days // (span_days + future_days))  # the next three months, ten years back
    days = [
        scale.today - timedelta(days=span_days - n * span_days // (total - upcoming)) for n in range(total - upcoming)
    ]
    days += [scale.today + timedelta(days=1 + n * future_days // upcoming) for n in range(upcoming)]
    tags = dict(AudienceTag.objects.order_by("pk").values_list("code", "pk"))
    plans, audiences, claimed = [], [], []
    for n, day in enumerate(days):
        title, category, *_rest, description = DEMO_EVENTS[n % len(DEMO_EVENTS)]
        start = scale.at(day, rng.choice([9, 10, 14, 15, 19]), rng.choice([0, 30]))
        cancelled = day < scale.today and rng.random() < 0.02
        event = Event(
            title=f"{title}（{rng.choice(VILLAGE_NAMES)}站）",
            category=category if category in Category.values else Category.OTHER,
            description=description,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            venue=rng.choice(venues),
            capacity=rng.choice([20, 30, 40, 60]),
            status=Event.Status.CANCELLED if cancelled else Event.Status.APPROVED,
            cancel_reason="天气原因" if cancelled else "",
        )
        audiences.append(rng.sample(list(tags), 2))
        claimed.append(scale_areas.place_event(scale.rooms, event, sites, rng))
        event.refresh_search(audiences=audiences[-1])
        plans.append(event)
    event_ids = insert(Event, iter(plans), total=total, label="events", keep_ids=True)
    scale.events = [(pk, plan.starts_at, plan.capacity) for pk, plan in zip(event_ids, plans, strict=True)]
    scale.cancelled = {pk for pk, plan in zip(event_ids, plans, strict=True) if plan.status == Event.Status.CANCELLED}
    scale.event_titles = [(pk, plan.title) for pk, plan in zip(event_ids, plans, strict=True)]
    scale_areas.event_occupancies(
        scale, [(pk, plan) for pk, plan, held in zip(event_ids, plans, claimed, strict=True) if held]
    )
    Audiences, Presenting = Event.audiences.through, Event.presenters.through
    insert(
        Audiences,
        (
            Audiences(event_id=pk, audiencetag_id=tags[code])
            for pk, codes in zip(event_ids, audiences, strict=True)
            for code in codes
        ),
        total=2 * total,
        label="event audiences",
    )
    insert(
        Presenting,
        (Presenting(event_id=pk, presenter_id=rng.choice(presenters).pk) for pk in event_ids),
        total=total,
        label="event presenters",
    )
    insert(Registration, _registrations(scale), total=scale.size("registrations"), label="registrations")


def _registrations(scale: Scale):
    """About the same number per event; the first `capacity` confirmed, the rest waiting
    (upcoming) or cancelled (past); most confirmed places of past events checked in."""
    rng, now = scale.rng, timezone.now()
    per_event = scale.size("registrations") / len(scale.events)
    remaining, sequence = scale.size("registrations"), 0
    for index, (event_id, starts_at, capacity) in enumerate(scale.events):
        left_events = len(scale.events) - index
        count = remaining if left_events == 1 else min(remaining, round(per_event * rng.uniform(0.5, 1.5)))
        count = min(count, len(scale.member_ids))
        remaining -= count
        past = starts_at < now
        for place, member_id in enumerate(rng.sample(scale.member_ids, count)):
            confirmed = place < capacity
            attended = past and confirmed and rng.random() < 0.8
            status = "confirmed" if confirmed else ("cancelled" if past else "waiting")
            sequence += 1
            yield Registration(
                event_id=event_id,
                member_id=member_id,
                status=status,
                code=tickets.signed(_token(sequence)),
                queued_at=starts_at - timedelta(days=rng.randint(1, 14), minutes=place),
                checked_in_at=starts_at + timedelta(minutes=rng.randint(-20, 10)) if attended else None,
                no_show=past and confirmed and not attended,
            )


def _token(number: int) -> str:
    """A ticket token that no two registrations share: `number` written in the ticket alphabet."""
    digits = []
    for _ in range(tickets.TOKEN_LENGTH):
        number, digit = divmod(number, len(tickets.ALPHABET))
        digits.append(tickets.ALPHABET[digit])
    return "".join(reversed(digits))


def library(scale: Scale) -> None:
    rng = scale.rng
    total_books = scale.size("books")
    scale.titles = [RARE_TITLE] + ["".join(map(rng.choice, TITLE_PARTS)) for _ in range(total_books - 1)]
    classes = ClassLetter.values

    def books():
        for n, title in enumerate(scale.titles):
            first12 = f"9787{n:08d}"
            book = Book(
                title=title,
                author=scale.name(),
                publisher=rng.choice(PUBLISHERS),
                year=rng.randint(1985, 2026),
                isbn=first12 + isbn13_check_digit(first12),
                class_letter=rng.choice(classes),
                keywords=rng.choice(TITLE_PARTS[1]),
            )
            book.refresh_search()
            yield book

    scale.book_ids = insert(Book, books(), total=total_books, label="books", keep_ids=True)
    total_copies = scale.size("copies")
    copy_books = scale.book_ids + [rng.choice(scale.book_ids) for _ in range(total_copies - total_books)]
    copy_ids = insert(
        Copy,
        (Copy(book_id=book_id, barcode=f"B9{n:08d}") for n, book_id in enumerate(copy_books)),
        total=total_copies,
        label="copies",
        keep_ids=True,
    )
    rules = LoanRules.current()
    on_loan = []
    insert(Loan, _loans(scale, copy_ids, rules, on_loan), total=scale.size("loans"), label="loans")
    for chunk_start in range(0, len(on_loan), 5000):
        Copy.objects.filter(pk__in=on_loan[chunk_start : chunk_start + 5000]).update(status=Copy.Status.ON_LOAN)
    holds = {(rng.choice(scale.book_ids), rng.choice(scale.member_ids)) for _ in range(max(1, total_books // 25))}
    insert(
        Hold,
        (Hold(book_id=book_id, member_id=member_id) for book_id, member_id in holds),
        total=len(holds),
        label="holds",
    )


def _loans(scale: Scale, copy_ids: list[int], rules: LoanRules, on_loan: list[int]):
    """Each copy lent again and again over ten years; about one in twelve is out now."""
    rng, today = scale.rng, scale.today
    per_copy = scale.size("loans") / len(copy_ids)
    remaining = scale.size("loans")
    for index, copy_id in enumerate(copy_ids):
        count = remaining if index == len(copy_ids) - 1 else min(remaining, round(per_copy * rng.uniform(0.5, 1.5)))
        remaining -= count
        day = today - timedelta(days=count * 35 + rng.randint(0, 60))
        for n in range(count):
            lent = scale.at(day, rng.randint(9, 20), rng.randint(0, 59))
            kept = rng.randint(3, 40)
            still_out = n == count - 1 and rng.random() < 0.08
            if still_out:
                on_loan.append(copy_id)
            yield Loan(
                copy_id=copy_id,
                member_id=rng.choice(scale.member_ids),
                loaned_at=lent,
                loaned_by_id=scale.librarian_id,
                due_date=day + timedelta(days=rules.loan_days),
                returned_at=None if still_out else lent + timedelta(days=kept),
            )
            day += timedelta(days=min(kept + rng.randint(0, 5), 35))


def campaigns(scale: Scale) -> None:
    """Eight summers of 书香伴我行 and the winter reading season running now."""
    today = scale.today
    plans = [
        Campaign(
            slug=f"summer-{year}", title=f"{year}年暑期“书香伴我行”阅读打卡",
            starts_on=date(year, 7, 1), ends_on=date(year, 8, 31), rules="每天阅读30分钟并打卡。",
        )
        for year in range(today.year - 8, today.year)
    ] + [
        Campaign(
            slug=CURRENT_CAMPAIGN, title="冬日书香 · 全民阅读季",
            starts_on=today - timedelta(days=26), ends_on=today + timedelta(days=34), rules="每天阅读并打卡。",
        )
    ]  # fmt: skip
    created = Campaign.objects.bulk_create(plans)
    share = scale.size("checkins") / len(created)
    readers = {}
    for campaign in created:
        open_days = (min(campaign.ends_on, today) - campaign.starts_on).days + 1
        # a few more readers than the check-ins need: some enrol and never check in
        readers[campaign] = _sample(scale, max(2, round(1.15 * share / ((1 + min(open_days, 45)) / 2))))
    insert(
        Enrolment,
        (Enrolment(campaign=c, member_id=m) for c, members in readers.items() for m in members),
        total=sum(map(len, readers.values())),
        label="enrolments",
    )
    insert(CheckIn, _checkins(scale, readers), total=scale.size("checkins"), label="check-ins")


def _sample(scale: Scale, count: int) -> list[int]:
    return scale.rng.sample(scale.member_ids, min(count, len(scale.member_ids)))


def _checkins(scale: Scale, readers: dict):
    rng, made, target = scale.rng, 0, scale.size("checkins")
    for campaign, members in readers.items():
        last = min(campaign.ends_on, scale.today)
        days = [campaign.starts_on + timedelta(days=n) for n in range((last - campaign.starts_on).days + 1)]
        for member_id in members:
            for day in sorted(rng.sample(days, min(len(days), rng.randint(1, 45)))):
                if made == target:
                    return
                made += 1
                title = rng.choice(scale.titles)
                reflecting = rng.random() < 0.05
                yield CheckIn(
                    campaign=campaign,
                    member_id=member_id,
                    day=day,
                    source=CheckIn.Source.HOME,
                    book_title=title,
                    minutes=rng.randint(10, 120),
                    reflection=REFLECTION.format(title=title) if reflecting else "",
                    share=reflecting,
                    moderation=CheckIn.Moderation.APPROVED if reflecting else CheckIn.Moderation.PENDING,
                )


def feedback(scale: Scale) -> None:
    rng, now = scale.rng, timezone.now()
    survey = Questionnaire.objects.create(
        title="2026年清水镇公共文化服务需求调查",
        introduction="以需定供：您的回答决定文化中心明年办什么活动。",
        opens_at=now - timedelta(days=60),
        closes_at=now + timedelta(days=30),
    )
    questions = [*QUESTIONS, ("活动时间安排是否合适？", "rating", [], False), ("借阅服务满意度", "rating", [], False)]
    choices = {}
    for order, (text, kind, options, allow_other) in enumerate(questions):
        question = Question.objects.create(
            questionnaire=survey, order=order, text=text, kind=kind, allow_other=allow_other
        )
        choices[question] = Choice.objects.bulk_create(
            [Choice(question=question, order=n, text=option) for n, option in enumerate(options)]
        )
    count = max(1, scale.size("answers") // len(choices))
    web_members = iter(_sample(scale, count))
    channels = Channel.values
    responses = insert(
        Response,
        (
            Response(
                questionnaire=survey,
                member_id=next(web_members) if channel == Channel.WEB else None,
                channel=channel,
                village=rng.choice(VILLAGES),
                age_group=rng.choice(["child", "teen", "adult", "adult", "elderly", "elderly"]),
            )
            for channel in (rng.choice(channels) for _ in range(count))
        ),
        total=count,
        label="questionnaire responses",
        keep_ids=True,
    )
    answer_ids = insert(
        Answer,
        (_answer(rng, response_id, question) for response_id in responses for question in choices),
        total=count * len(choices),
        label="answers",
        keep_ids=True,
    )
    Picked = Answer.choices.through
    asked = list(choices.items())

    def picked():
        for index, answer_id in enumerate(answer_ids):
            question, options = asked[index % len(asked)]
            if options:
                for choice in rng.sample(options, 1 if question.kind == "single" else rng.randint(1, 3)):
                    yield Picked(answer_id=answer_id, choice_id=choice.pk)

    insert(Picked, picked(), total=round(len(answer_ids) * 0.625), label="chosen options")
    _evaluations_and_needs(scale)


def _answer(rng, response_id: int, question: Question) -> Answer:
    if question.kind == "rating":
        return Answer(response_id=response_id, question=question, number=rng.choice([3, 4, 4, 5, 5]))
    if question.kind == "number":
        return Answer(response_id=response_id, question=question, number=rng.randint(0, 20))
    if question.kind == "long":
        return Answer(response_id=response_id, question=question, text=rng.choice(WISHES))
    return Answer(response_id=response_id, question=question)


def _evaluations_and_needs(scale: Scale) -> None:
    rng, now = scale.rng, timezone.now()
    past = [(pk, start) for pk, start, _capacity in scale.events if start < now]
    insert(
        Evaluation,
        (
            Evaluation(event_id=pk, rating=rng.choice([3, 4, 4, 5, 5]), channel=Channel.PAPER, wish=rng.choice(WISHES))
            for pk, _start in past
            for _ in range(rng.randint(0, 6))
        ),
        total=len(past) * 3,
        label="evaluations",
    )
    total = max(1, scale.size("members") // 40)
    need_ids = insert(
        Need,
        (
            Need(
                category=rng.choice(Category.values),
                village=rng.choice(VILLAGES),
                text=rng.choice(WISHES) + "。",
                posted_by_id=rng.choice(scale.member_ids),
            )
            for _ in range(total)
        ),
        total=total,
        label="needs",
        keep_ids=True,
    )
    insert(NeedStep, (NeedStep(need_id=pk, state="received") for pk in need_ids), total=total, label="need steps")
    supports = {(rng.choice(need_ids), rng.choice(scale.member_ids)) for _ in range(total * 10)}
    insert(
        NeedSupport,
        (NeedSupport(need_id=need, member_id=member) for need, member in supports),
        total=len(supports),
        label="+1s",
    )
    supporters = NeedSupport.objects.filter(need=OuterRef("pk")).values("need").annotate(n=Count("pk")).values("n")
    Need.objects.update(support_count=Coalesce(Subquery(supporters), 0))
