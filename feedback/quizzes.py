"""Prize quizzes: which questions an attempt gets, scores computed by the database from
the stored answers, ranks (ties share a rank), and the prize draw.

The draw is verifiable: a seed is committed before the quiz opens (its SHA-256 is shown),
the entrant list is frozen at close (eligible: a villager's best score ≥ the threshold;
one entry, so one prize, per person), and the draw sorts the entry numbers by
SHA-256("seed:number"). The quiz page prints the numbers, the seed and the lines of
Python that give the same winners and reserves.

Lock order: the draw row, then its entries."""

import hashlib
import hmac
import random
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from culturecenter.lib.locks import locking
from culturecenter.lib.privacy import mask_mobile, mask_name
from culturecenter.services import notify
from feedback import services
from feedback.models import (
    Answer,
    Choice,
    DrawEntry,
    LiveRound,
    Question,
    Questionnaire,
    QuizDraw,
    Response,
    draw_order,
    seed_hash,
)
from feedback.services import FeedbackError

# ---------------------------------------------------------------- questions of an attempt


def questions_for_attempt(questionnaire: Questionnaire, who: str, attempt: int) -> list[Question]:
    """The questions one attempt gets: every untagged question, and for each bank rule its
    number of questions of that tag, chosen by a keyed hash of (quiz, person or browser,
    attempt) — the same on every reload and on sending, and not choosable by the person."""
    questions = list(questionnaire.questions.prefetch_related("choices"))
    rules = {rule.tag: rule.count for rule in questionnaire.bank_rules.all()}
    if not rules:
        return questions
    key = hmac.new(settings.SECRET_KEY.encode(), f"quiz:{questionnaire.pk}:{who}:{attempt}".encode(), hashlib.sha256)
    rng = random.Random(key.hexdigest())
    chosen = set()
    for tag in sorted(rules):
        tagged = [q.pk for q in questions if q.bank_tag == tag]
        chosen.update(rng.sample(tagged, min(rules[tag], len(tagged))))
    return [q for q in questions if q.pk in chosen or q.bank_tag not in rules]


def attempts_of(questionnaire: Questionnaire, *, member=None, browser_key=None):
    if member is not None:
        return Response.objects.filter(questionnaire=questionnaire, member=member)
    if browser_key:
        return Response.objects.filter(questionnaire=questionnaire, browser_key=browser_key)
    return Response.objects.none()


# ---------------------------------------------------------------- scoring


def _score_sql(where: str) -> str:
    answer, response, question = Answer._meta.db_table, Response._meta.db_table, Question._meta.db_table
    choice, chosen = Choice._meta.db_table, Answer.choices.through._meta.db_table
    return f"""
        SELECT a.id, a.response_id, q.points, a.speed_bonus,
            CASE WHEN needed.n > 0
                 AND (SELECT COUNT(*) FROM {chosen} ac JOIN {choice} c ON c.id = ac.choice_id
                      WHERE ac.answer_id = a.id AND c.is_correct = %s) = needed.n
                 AND (SELECT COUNT(*) FROM {chosen} ac JOIN {choice} c ON c.id = ac.choice_id
                      WHERE ac.answer_id = a.id AND c.is_correct = %s) = 0
            THEN 1 ELSE 0 END AS correct
        FROM {answer} a
        JOIN {response} r ON r.id = a.response_id
        JOIN {question} q ON q.id = a.question_id
        JOIN (SELECT question_id, COUNT(*) AS n FROM {choice} WHERE is_correct = %s GROUP BY question_id) needed
             ON needed.question_id = q.id
        WHERE {where}
    """


def answer_correctness(*, questionnaire_id: int, response_ids=None) -> dict[int, tuple[int, int, bool]]:
    """answer id → (response id, points, right?), computed by the database: a single or
    true/false answer is right when its one choice is the correct one; a multiple-choice
    answer only when it has every correct choice and no wrong one."""
    where, params = "r.questionnaire_id = %s", [questionnaire_id]
    if response_ids is not None:
        ids = list(response_ids) or [0]
        where += f" AND r.id IN ({', '.join(['%s'] * len(ids))})"
        params += ids
    with connection.cursor() as cursor:
        cursor.execute(_score_sql(where), [True, False, True, *params])
        return {row[0]: (row[1], row[2], bool(row[4])) for row in cursor.fetchall()}


def score_responses(*, questionnaire_id: int, response_ids=None) -> dict[int, int]:
    """Response id → points, summed by the database over the stored answers (with a live
    quiz's speed bonus, which counts only for a right answer)."""
    sql = (
        "SELECT s.response_id, SUM((s.points + s.speed_bonus) * s.correct) "
        f"FROM ({_score_sql('{where}')}) s GROUP BY s.response_id"
    )
    where, params = "r.questionnaire_id = %s", [questionnaire_id]
    if response_ids is not None:
        ids = list(response_ids) or [0]
        where += f" AND r.id IN ({', '.join(['%s'] * len(ids))})"
        params += ids
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("{where}", where), [True, False, True, *params])
        return {response_id: int(points or 0) for response_id, points in cursor.fetchall()}


def store_score(response: Response) -> int:
    """Compute the response's score from its answers and keep it on the response."""
    score = score_responses(questionnaire_id=response.questionnaire_id, response_ids=[response.pk]).get(response.pk, 0)
    Response.objects.filter(pk=response.pk).update(score=score)
    response.score = score
    return score


def max_points(questionnaire: Questionnaire, questions=None) -> int:
    questions = questions if questions is not None else questionnaire.questions.all()
    return sum(q.points for q in questions if q.kind in Question.SCORED_KINDS)


def competition_ranks(scores: list[int]) -> list[int]:
    """1, 2, 2, 4 for scores 90, 80, 80, 70: ties share a rank, the next rank skips."""
    ordered = sorted(scores, reverse=True)
    first = {}
    for position, score in enumerate(ordered, start=1):
        first.setdefault(score, position)
    return [first[score] for score in scores]


def rank_of(questionnaire: Questionnaire, score: int) -> tuple[int, int]:
    """(rank, people ranked): people with a better best score, plus one; counted per person
    (villager, browser or paper sheet)."""
    best = _best_scores(questionnaire)
    return sum(1 for s in best if s > score) + 1, len(best)


def _best_scores(questionnaire: Questionnaire) -> list[int]:
    responses = Response.objects.filter(questionnaire=questionnaire, score__isnull=False)
    members = responses.filter(member__isnull=False).values("member").annotate(best=Max("score"))
    browsers = responses.filter(member__isnull=True, browser_key__isnull=False).values("browser_key")
    browsers = browsers.annotate(best=Max("score"))
    sheets = responses.filter(member__isnull=True, browser_key__isnull=True).values_list("score", flat=True)
    return [row["best"] for row in members] + [row["best"] for row in browsers] + list(sheets)


# ---------------------------------------------------------------- live mode


def speed_bonus(*, points: int, percent: int, seconds: float, window: int) -> int:
    """Whole bonus points for answering `seconds` after the question was shown: `percent`
    of the points for an instant answer, falling to none at the end of the window; never
    more than half the points, whatever the quiz says."""
    if seconds >= window or percent <= 0:
        return 0
    bonus = int(points * min(percent, 50) * (window - max(seconds, 0)) // (100 * window))
    return min(bonus, points // 2)


def live_current(questionnaire: Questionnaire) -> LiveRound | None:
    return questionnaire.live_rounds.select_related("question").order_by("-shown_at", "-pk").first()


@locking
def live_show_next(*, questionnaire: Questionnaire, by, now=None) -> LiveRound | None:
    """Staff put the next question (in order) on the screen; None when all have been shown."""
    now = now or timezone.now()
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if not questionnaire.live or not questionnaire.is_open(now):
        raise FeedbackError(_("Only an open live quiz shows questions."))
    shown = questionnaire.live_rounds.values("question")
    question = questionnaire.questions.filter(kind__in=Question.SCORED_KINDS).exclude(pk__in=shown).first()
    if question is None:
        return None
    return LiveRound.objects.create(questionnaire=questionnaire, question=question, shown_at=now, shown_by=by)


@transaction.atomic
def live_answer(
    *, questionnaire: Questionnaire, round_id: int, choices, member=None, browser: str | None = None, now=None
) -> Answer:
    """A phone answers the question on the screen, within its time; the time is the
    server's, from the moment staff showed the question. One answer per person per question."""
    now = now or timezone.now()
    current = live_current(questionnaire)
    if current is None or current.pk != round_id:
        raise FeedbackError(_("This question is no longer on the screen."))
    seconds = (now - current.shown_at).total_seconds()
    if seconds > questionnaire.answer_seconds or not questionnaire.is_open(now):
        raise FeedbackError(_("Time is up for this question."))
    if any(choice.question_id != current.question_id for choice in choices) or not choices:
        raise FeedbackError(_("Choose an answer to the question on the screen."))
    key = services.browser_key(browser) if browser and questionnaire.anonymous else None
    member = None if questionnaire.anonymous else member
    if member is None and key is None:
        raise FeedbackError(_("Log in to take part."))
    who = {"member": member} if member is not None else {"browser_key": key}
    response = Response.objects.filter(questionnaire=questionnaire, attempt=1, **who).first()
    if response is None:
        response = Response.objects.create(
            questionnaire=questionnaire,
            village=getattr(member, "village", ""),
            age_group=getattr(member, "age_group", ""),
            **who,
        )
    try:
        with transaction.atomic():
            answer = Answer.objects.create(
                response=response,
                question=current.question,
                speed_bonus=speed_bonus(
                    points=current.question.points,
                    percent=questionnaire.speed_bonus_percent,
                    seconds=seconds,
                    window=questionnaire.answer_seconds,
                ),
            )
    except IntegrityError:
        raise FeedbackError(_("You have already answered this question.")) from None
    answer.choices.set(choices)
    store_score(response)
    return answer


# ---------------------------------------------------------------- the draw


@transaction.atomic
def draw_commit_seed(*, questionnaire: Questionnaire, by, seed: str = "", now=None) -> QuizDraw:
    """Commit the draw's seed before the quiz opens; its SHA-256 is published at once. A
    committed seed can never be changed (refused), so nobody can pick one after seeing the entrants."""
    now = now or timezone.now()
    if not questionnaire.is_quiz or questionnaire.prize_threshold is None or questionnaire.prize_count < 1:
        raise FeedbackError(_("Only a prize quiz with a threshold and prizes has a draw."))
    if QuizDraw.objects.filter(questionnaire=questionnaire).exists():
        raise FeedbackError(_("The seed is already committed and cannot be changed."))
    if now >= questionnaire.opens_at:
        raise FeedbackError(_("The seed must be committed before the quiz opens."))
    seed = seed.strip() or secrets.token_hex(16)
    try:
        with transaction.atomic():
            return QuizDraw.objects.create(
                questionnaire=questionnaire,
                seed=seed,
                seed_sha256=seed_hash(seed),
                committed_by=by,
                prize_count=questionnaire.prize_count,
                reserve_count=questionnaire.reserve_count,
            )
    except IntegrityError:
        raise FeedbackError(_("The seed is already committed and cannot be changed.")) from None


def _freeze(draw: QuizDraw, now) -> int:
    questionnaire = draw.questionnaire
    responses = Response.objects.filter(questionnaire=questionnaire, member__isnull=False, score__isnull=False)
    best = {
        row["member"]: row
        for row in responses.values("member").annotate(best=Max("score"), first=Min("created_at"), pk=Min("pk"))
        if row["best"] >= questionnaire.prize_threshold
    }
    # Entry numbers in the order people first answered (then by response), public and fixed.
    ordered = sorted(best.values(), key=lambda row: (row["first"], row["pk"]))
    DrawEntry.objects.bulk_create(
        DrawEntry(draw=draw, number=n, member_id=row["member"], score=row["best"])
        for n, row in enumerate(ordered, start=1)
    )
    draw.frozen_at = now
    draw.save(update_fields=["frozen_at"])
    return len(ordered)


@locking
def draw_freeze(*, questionnaire: Questionnaire, now=None) -> int:
    """At close, freeze the list of eligible entrants (once); returns how many entered."""
    now = now or timezone.now()
    draw = QuizDraw.objects.select_for_update().select_related("questionnaire").get(questionnaire=questionnaire)
    if now < draw.questionnaire.closes_at:
        raise FeedbackError(_("The entrant list is frozen when the quiz closes."))
    if draw.frozen_at:
        return draw.entries.count()
    return _freeze(draw, now)


@locking
def draw_run(*, questionnaire: Questionnaire, by, now=None) -> QuizDraw:
    """Run the draw once after close: winners and reserves in the order the seed gives,
    the seed revealed, winners told with their claim deadline."""
    now = now or timezone.now()
    try:
        draw = QuizDraw.objects.select_for_update().select_related("questionnaire").get(questionnaire=questionnaire)
    except QuizDraw.DoesNotExist:
        raise FeedbackError(_("No seed was committed, so there is no draw.")) from None
    questionnaire = draw.questionnaire  # as stored now, not as the caller last read it
    if draw.drawn_at:
        raise FeedbackError(_("The draw has already taken place; it runs once."))
    if now < questionnaire.closes_at:
        raise FeedbackError(_("The draw takes place after the quiz closes."))
    if not draw.frozen_at:
        _freeze(draw, now)
    entries = {entry.number: entry for entry in draw.entries.select_related("member")}
    order = draw_order(draw.seed, sorted(entries))
    for place, number in enumerate(order[: draw.prize_count + draw.reserve_count], start=1):
        entry = entries[number]
        entry.place = place
        entry.outcome = DrawEntry.Outcome.WINNER if place <= draw.prize_count else DrawEntry.Outcome.RESERVE
        if entry.outcome == DrawEntry.Outcome.WINNER:
            _tell_winner(entry, questionnaire, now)
        entry.save(update_fields=["place", "outcome", "told_at"])
    draw.order, draw.drawn_at, draw.drawn_by = order, now, by
    draw.save(update_fields=["order", "drawn_at", "drawn_by"])
    return draw


def _tell_winner(entry: DrawEntry, questionnaire: Questionnaire, now) -> None:
    entry.told_at = now
    deadline = timezone.localtime(entry.claim_deadline(questionnaire.claim_days))
    notify(
        member=entry.member,
        text=_("You won a prize in “%(quiz)s” (entry no. %(number)s). Collect it at the center by %(date)s.")
        % {"quiz": questionnaire.title, "number": entry.number, "date": f"{deadline:%Y-%m-%d}"},
        url=reverse("feedback:quiz", args=[questionnaire.pk]),
    )


@locking
def draw_claim(*, entry: DrawEntry, by, now=None) -> None:
    """Staff hand a prize over to a winner before their deadline."""
    now = now or timezone.now()
    draw = QuizDraw.objects.select_for_update().select_related("questionnaire").get(pk=entry.draw_id)
    entry = DrawEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.outcome not in (DrawEntry.Outcome.WINNER, DrawEntry.Outcome.PROMOTED):
        raise FeedbackError(_("Only a winner can collect a prize."))
    if entry.claimed_at:
        raise FeedbackError(_("This prize has already been collected."))
    if now > entry.claim_deadline(draw.questionnaire.claim_days):
        raise FeedbackError(_("The claim deadline has passed; the prize goes to the next reserve."))
    entry.claimed_at, entry.claimed_by = now, by
    entry.save(update_fields=["claimed_at", "claimed_by"])


@locking
def draw_pass_on_unclaimed(*, questionnaire: Questionnaire, by=None, now=None) -> int:
    """Prizes not collected by their deadline go to the reserves, in drawn order; each
    reserve moved up is told and gets their own deadline. Returns how many moved up."""
    now = now or timezone.now()
    draw = QuizDraw.objects.select_for_update().select_related("questionnaire").get(questionnaire=questionnaire)
    days = draw.questionnaire.claim_days
    entries = list(draw.entries.select_for_update().filter(place__isnull=False).order_by("place"))
    lapsed = [
        e
        for e in entries
        if e.outcome in (DrawEntry.Outcome.WINNER, DrawEntry.Outcome.PROMOTED)
        and not e.claimed_at
        and now > e.claim_deadline(days)
    ]
    reserves = [e for e in entries if e.outcome == DrawEntry.Outcome.RESERVE]
    moved = 0
    for entry in lapsed:
        entry.outcome = DrawEntry.Outcome.LAPSED
        entry.save(update_fields=["outcome"])
        if reserves:
            reserve = reserves.pop(0)
            reserve.outcome = DrawEntry.Outcome.PROMOTED
            _tell_winner(reserve, draw.questionnaire, now)
            reserve.save(update_fields=["outcome", "told_at"])
            moved += 1
    return moved


@dataclass
class PublicWinner:
    number: int
    name: str
    mobile: str
    outcome: str
    claimed: bool


def public_winners(draw: QuizDraw) -> list[PublicWinner]:
    """Winners and reserves as the page publishes them: masked name and mobile (王*明, 138****1234)."""
    return [
        PublicWinner(
            e.number,
            mask_name(e.member.name),
            mask_mobile(e.member.mobile),
            e.get_outcome_display(),
            bool(e.claimed_at),
        )
        for e in draw.entries.filter(place__isnull=False).select_related("member").order_by("place")
    ]


def rerun_code(draw: QuizDraw, numbers: list[int]) -> str:
    """The few lines of Python the page prints, so anyone can check the winners."""
    prizes, last = draw.prize_count, draw.prize_count + draw.reserve_count
    return (
        "import hashlib\n"
        f'seed = "{draw.seed}"\n'
        f"print(hashlib.sha256(seed.encode()).hexdigest())  # = {draw.seed_sha256}\n"
        f"entries = {numbers}\n"
        'order = sorted(entries, key=lambda n: hashlib.sha256(f"{seed}:{n}".encode()).hexdigest())\n'
        f"winners, reserves = order[:{prizes}], order[{prizes}:{last}]\n"
        'print("winners", winners)\n'
        'print("reserves", reserves)\n'
    )


# ---------------------------------------------------------------- results for staff


def quiz_results(questionnaire: Questionnaire, responses) -> dict:
    """Unique participants by village and age group, the score distribution and the correct
    rate per question (which knowledge is missing), in a fixed number of queries."""
    from culturecenter.models import AgeGroup, Village

    scored = responses.filter(score__isnull=False)
    people = scored.aggregate(
        members=Count("member", distinct=True),
        browsers=Count("browser_key", distinct=True),
        sheets=Count("pk", filter=Q(member__isnull=True, browser_key__isnull=True)),
    )

    def by(field):
        rows = scored.values(field).annotate(
            members=Count("member", distinct=True),
            browsers=Count("browser_key", distinct=True),
            sheets=Count("pk", filter=Q(member__isnull=True, browser_key__isnull=True)),
        )
        return {row[field]: row["members"] + row["browsers"] + row["sheets"] for row in rows}

    villages, ages = by("village"), by("age_group")
    distribution = dict(scored.values_list("score").annotate(n=Count("pk")).order_by("score"))
    correctness = answer_correctness(
        questionnaire_id=questionnaire.pk, response_ids=list(scored.values_list("pk", flat=True))
    )
    per_question = {}
    answer_questions = dict(Answer.objects.filter(pk__in=list(correctness)).values_list("pk", "question"))
    for answer_id, (_response, _points, right) in correctness.items():
        counts = per_question.setdefault(answer_questions[answer_id], [0, 0])
        counts[0] += 1
        counts[1] += right
    questions = []
    for question in questionnaire.questions.filter(kind__in=Question.SCORED_KINDS):
        answered, right = per_question.get(question.pk, [0, 0])
        questions.append((question, answered, right, round(100 * right / answered) if answered else None))
    return {
        "participants": people["members"] + people["browsers"] + people["sheets"],
        "attempts": scored.count(),
        "by_village": [(label, villages.get(value, 0)) for value, label in Village.choices]
        + [(_("not given"), villages.get("", 0))],
        "by_age": [(label, ages.get(value, 0)) for value, label in AgeGroup.choices]
        + [(_("not given"), ages.get("", 0))],
        "distribution": sorted(distribution.items()),
        "questions": questions,
    }
