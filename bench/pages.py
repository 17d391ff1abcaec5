"""The pages and actions `make bench` times, each as a villager, librarian or member of
staff would use it, on the district-scale database.

Server time is measured in-process with Django's test client (the whole middleware
stack, the view and the template; no network), over warm repeated requests."""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from itertools import cycle

from django.conf import settings
from django.db import connection, reset_queries
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities import services as activity_services
from activities.models import Article, Course, Event, Registration, Team, Venue
from bench import scale
from culturecenter.models import Member, User
from feedback.briefings import services as briefing_services
from feedback.models import Briefing, Questionnaire
from lending import services as lending_services
from lending.desk import DESK_LAST_BOOK
from lending.models import Book, Copy

GOAL_MS = 50
LOGGED_IN_GOAL_MS = 8  # the pages villagers open most, as fast logged in as the cached ones nearly
SEARCH_GOAL_MS = 10  # a common two-character word in the catalogue: the GIN index of pairs
RESULTS_GOAL_MS = 500
BRIEFING_GOAL_MS = 3000  # a whole year's 工作简报 computed from the records (a draft)


@dataclass
class Case:
    name: str
    client: Client
    path: str | Callable[[], str]
    data: dict | None = None  # a POST when given
    before: Callable[[], None] | None = None  # untimed, before each request
    after: Callable[[], None] | None = None  # untimed, after each request
    goal_ms: int = GOAL_MS
    expect: int = 200

    def request(self):
        if self.before:
            self.before()
        path = self.path() if callable(self.path) else self.path
        started = time.perf_counter()
        if self.data is None:
            response = self.client.get(path, secure=True)
        else:
            response = self.client.post(path, self.data, secure=True)
        elapsed = time.perf_counter() - started
        if self.after:
            self.after()
        if response.status_code != self.expect:
            raise RuntimeError(f"{self.name}: {path} answered {response.status_code}, not {self.expect}")
        return elapsed


@dataclass
class Timing:
    name: str
    path: str
    queries: int
    median_ms: float
    p95_ms: float
    goal_ms: int
    samples: list[float] = field(repr=False, default_factory=list)

    @property
    def ok(self) -> bool:
        return self.median_ms <= self.goal_ms


def measure(case: Case, repeat: int) -> Timing:
    for _ in range(3):  # warm: connections, template and translation caches
        case.request()
    reset_queries()  # Django empties the log when a request starts; begin from empty too
    with CaptureQueriesContext(connection) as queries:
        case.request()
    count = len(queries)  # now: the log is emptied again when the next request starts
    samples = sorted(case.request() * 1000 for _ in range(repeat))
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    path = "…" if callable(case.path) else case.path
    return Timing(case.name, path, count, statistics.median(samples), p95, case.goal_ms, samples)


def _client(username: str | None) -> Client:
    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def _upcoming():
    now = timezone.now()
    return Event.objects.public().filter(status=Event.Status.APPROVED, starts_at__gt=now).order_by("starts_at")


def busiest_event() -> Event:
    """The upcoming event with the most sign-ups: the page everyone opens."""
    return _upcoming().annotate(n=Count("registrations")).order_by("-n", "pk").first()


def session_cookie(username: str) -> str:
    """A Cookie header of a fresh session logged in as `username`, for requests from outside."""
    client = _client(username)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def cases() -> list[Case]:
    """Every key page and action, on data picked the way a busy day would touch it."""
    anonymous, villager = _client(None), _client(scale.BENCH_VILLAGER)
    librarian, staff = _client(scale.BENCH_LIBRARIAN), _client(scale.BENCH_STAFF)
    librarian_user = User.objects.get(username=scale.BENCH_LIBRARIAN)
    me = Member.objects.get(mobile=scale.BENCH_VILLAGER)
    now = timezone.now()
    upcoming = _upcoming()
    busiest = busiest_event()
    ticket = Registration.objects.filter(member=me, event__starts_at__gt=now).first() or (
        activity_services.registration_create(event=busiest, member=me, by=me.user)
    )
    past_pages = Event.objects.public().filter(ends_at__lt=now).count() // 10
    open_events = list(upcoming.exclude(registrations__member=me)[:1000])
    survey = Questionnaire.objects.order_by("pk").first()
    book = Book.objects.annotate(n=Count("copies")).order_by("-n", "pk").first()
    reader = Member.objects.exclude(mobile=scale.BENCH_VILLAGER).filter(reader_card__isnull=False).order_by("pk")[1]
    copy = Copy.objects.filter(status=Copy.Status.ON_SHELF).order_by("pk").first()
    desk = reverse("lending:desk")
    signups = SignupRound(me, open_events)
    desk_mode = DeskMode(librarian, desk)
    librarian.post(desk, {"action": "scan", "code": reader.reader_card}, secure=True)
    year_draft, year_signed = year_briefings(librarian_user, User.objects.get(username=scale.BENCH_STAFF))
    return [
        Case("home", anonymous, reverse("home")),
        Case("home, logged in", villager, reverse("home"), goal_ms=LOGGED_IN_GOAL_MS),
        Case("event list", anonymous, reverse("activities:list")),
        Case("event list, logged in", villager, reverse("activities:list"), goal_ms=LOGGED_IN_GOAL_MS),
        Case("event list, deep page", villager, f"{reverse('activities:list')}?when=past&page={past_pages * 3 // 4}"),
        Case(
            "event list, filtered",
            villager,
            f"{reverse('activities:list')}?when=past&category=handicraft&village=xiaqingshui&audience=elderly",
        ),
        Case("event list, search", villager, f"{reverse('activities:list')}?when=past&q=剪纸"),
        Case("event list, two words", villager, f"{reverse('activities:list')}?when=past&q=剪纸%20黄安坨"),
        Case("event detail", anonymous, busiest.get_absolute_url()),
        Case("event detail, logged in", villager, busiest.get_absolute_url(), goal_ms=LOGGED_IN_GOAL_MS),
        Case(
            "sign-up (POST)",
            villager,
            signups.next_path,
            data={"member": me.pk},
            after=signups.undo,
            expect=302,
        ),
        Case("ticket", villager, ticket.get_absolute_url()),
        Case(
            "catalogue search, common word",
            anonymous,
            f"{reverse('lending:catalogue')}?q={scale.COMMON_WORD}",
            goal_ms=SEARCH_GOAL_MS,
        ),
        Case("catalogue search, rare word", anonymous, f"{reverse('lending:catalogue')}?q=守林人"),
        Case("catalogue search, two words", anonymous, f"{reverse('lending:catalogue')}?q=剪纸%20{scale.COMMON_WORD}"),
        Case("catalogue search, pinyin", anonymous, f"{reverse('lending:catalogue')}?q=jianzhi"),
        Case("catalogue search, initials", anonymous, f"{reverse('lending:catalogue')}?q=slr"),
        Case("catalogue search, part of ISBN", anonymous, f"{reverse('lending:catalogue')}?q=978-7-000-0421"),
        Case("book page", anonymous, book.get_absolute_url()),
        Case(
            "desk scan: lend (POST)",
            librarian,
            desk,
            data={"action": "scan", "code": copy.barcode},
            before=lambda: desk_mode.set("lend"),
            after=lambda: lending_services.loan_return(barcode=copy.barcode, by=librarian_user),
            expect=302,
        ),
        Case(
            "desk scan: return (POST)",
            librarian,
            desk,
            data={"action": "scan", "code": copy.barcode},
            before=lambda: (
                lending_services.loan_checkout(barcode=copy.barcode, member=reader, by=librarian_user),
                desk_mode.set("return"),
            ),
            expect=302,
        ),
        Case("desk page", librarian, desk),
        Case("campaign page", villager, reverse("lending:campaign", args=[scale.CURRENT_CAMPAIGN])),
        Case(
            "questionnaire results",
            staff,
            reverse("feedback:survey_results", args=[survey.pk]),
            goal_ms=RESULTS_GOAL_MS,
        ),
        Case("needs board", anonymous, reverse("feedback:board")),
        Case("briefing: a year computed (draft)", staff, year_draft.get_absolute_url(), goal_ms=BRIEFING_GOAL_MS),
        Case("briefing: signed off (frozen)", staff, year_signed.get_absolute_url()),
        Case("needs board, logged in", villager, reverse("feedback:board")),
        Case("volunteering, open shifts", villager, reverse("activities:volunteer")),
        Case("volunteer coordination", staff, reverse("activities:volunteer_staff")),
        Case("volunteer hours by village", staff, reverse("activities:volunteer_hours")),
        *_room_cases(anonymous, staff),
        *_area_cases(anonymous, villager),
    ]


def year_briefings(author, reviewer) -> tuple[Briefing, Briefing]:
    """Last year's briefing as a draft (computed on every opening) and signed off (stored page);
    made once, untimed."""
    year = timezone.localdate().year - 1
    first, last = date(year, 1, 1), date(year, 12, 31)
    draft = Briefing.objects.filter(title="bench: draft", state=Briefing.State.DRAFT).first()
    draft = draft or briefing_services.briefing_create(title="bench: draft", first=first, last=last, by=author)
    signed = Briefing.objects.signed().filter(title="bench: signed").first() or briefing_services.briefing_sign(
        briefing=briefing_services.briefing_create(title="bench: signed", first=first, last=last, by=author),
        by=reviewer,
    )
    return draft, signed


def _room_cases(anonymous: Client, staff: Client) -> list[Case]:
    """The staff's week of every room, and one room's public week."""
    room = Venue.objects.rooms().filter(is_bookable=True).order_by("pk").first()
    cases = [Case("room calendar, week", staff, reverse("activities:rooms"))]
    if room:
        cases.append(Case("room page", anonymous, reverse("activities:room", args=[room.pk])))
    return cases


def _area_cases(anonymous: Client, villager: Client) -> list[Case]:
    """Teams, courses, news and the closed quiz: their lists and their busiest page."""
    cases = [
        Case("team list", anonymous, reverse("activities:teams")),
        Case("course list", anonymous, reverse("activities:courses")),
        Case("news list", anonymous, reverse("news:list")),
    ]
    team = Team.objects.filter(is_public=True).annotate(n=Count("memberships")).order_by("-n", "pk").first()
    if team:
        cases.append(Case("team page", villager, team.get_absolute_url()))
    course = Course.objects.filter(status=Course.Status.APPROVED).order_by("-enrol_opens_at", "pk").first()
    if course:
        cases.append(Case("course page", villager, course.get_absolute_url()))
    article = Article.objects.published().order_by("-published_at", "-pk").first()
    if article:
        cases.append(Case("news article", anonymous, article.get_absolute_url()))
    quiz = Questionnaire.objects.filter(is_quiz=True).order_by("pk").first()
    if quiz:
        cases.append(Case("quiz page (closed, drawn)", villager, quiz.get_quiz_url()))
    return cases


class SignupRound:
    """Each timed sign-up is for the next open event; afterwards the registration is
    removed again, so that the benchmark can run any number of times."""

    def __init__(self, member: Member, events: list[Event]):
        self.member, self.events, self.current = member, cycle(events), None

    def next_path(self) -> str:
        self.current = next(self.events)
        return reverse("activities:signup", args=[self.current.pk])

    def undo(self):
        Registration.objects.filter(event=self.current, member=self.member).delete()


class DeskMode:
    """The desk keeps lend/return mode in the session; flipped (untimed) before each scan."""

    def __init__(self, client: Client, desk: str):
        self.client, self.desk, self.mode = client, desk, "lend"

    def set(self, mode: str):
        if mode != self.mode:
            self.client.post(self.desk, {"action": "mode"}, secure=True)
            self.mode = mode
        # The same copy scanned again within seconds is a scanner's double beep, which the desk
        # ignores; each timed scan stands for a new one.
        session = self.client.session
        session.pop(DESK_LAST_BOOK, None)
        session.save()
