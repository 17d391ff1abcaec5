"""Feedback workflows: questionnaire responses from every channel, event evaluations,
and the needs board with its public timeline (你说我做)."""

import hashlib
import hmac
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Event, Registration
from culturecenter.lib.locks import locking
from culturecenter.models import Member
from culturecenter.services import notify
from feedback.models import (
    Answer,
    Channel,
    Evaluation,
    EvaluationInvitation,
    Need,
    NeedEvent,
    NeedReport,
    NeedStep,
    NeedSupport,
    Question,
    Questionnaire,
    Response,
)

REPORTS_TO_HIDE = 3


class FeedbackError(ValidationError):
    pass


def browser_key(token: str) -> str:
    """A keyed hash of the browser's random cookie: enough to refuse a second answer,
    useless for finding out who answered."""
    return hmac.new(f"survey:{settings.SECRET_KEY}".encode(), token.encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def response_submit(
    *,
    questionnaire: Questionnaire,
    answers: dict,
    channel: str = Channel.WEB,
    member: Member | None = None,
    browser: str | None = None,
    village: str = "",
    age_group: str = "",
    entered_by=None,
) -> Response:
    """Store one response as typed rows: one Answer per answered question, chosen choices as rows.
    `answers` maps a Question to a number, a text, or (choices, other text)."""
    if channel == Channel.WEB and not questionnaire.is_open():
        raise FeedbackError(_("This questionnaire is not open."))
    if member is not None:
        village = village or member.village
        age_group = age_group or member.age_group
    member = None if questionnaire.anonymous else member
    key = browser_key(browser) if browser and questionnaire.anonymous else None
    attempt = 1
    if questionnaire.is_quiz and (member is not None or key):
        who = Q(member=member) if member is not None else Q(browser_key=key)
        attempt = questionnaire.responses.filter(who).count() + 1
        if attempt > questionnaire.attempts_allowed:
            raise FeedbackError(_("You have used every attempt this quiz allows."))
    try:
        with transaction.atomic():
            response = Response.objects.create(
                questionnaire=questionnaire,
                member=member,
                browser_key=key,
                channel=channel,
                village=village,
                age_group=age_group,
                entered_by=entered_by,
                attempt=attempt,
            )
    except IntegrityError:
        raise FeedbackError(_("This questionnaire has already been answered; thank you.")) from None
    for question, value in answers.items():
        if value in (None, "", [], ([], "")):
            continue
        if question.kind in Question.CHOICE_KINDS:
            chosen, other = value
            answer = Answer.objects.create(response=response, question=question, text=other)
            answer.choices.set(chosen)
        elif question.kind in (Question.Kind.RATING, Question.Kind.NUMBER):
            Answer.objects.create(response=response, question=question, number=Decimal(value))
        else:
            Answer.objects.create(response=response, question=question, text=value)
    if questionnaire.is_quiz:
        from feedback.quizzes import store_score

        store_score(response)
    return response


def attendees_to_evaluate(event: Event, user):
    """People of the user's household who were checked in and have not evaluated yet."""
    household = Member.objects.managed_by(user)
    done = Evaluation.objects.filter(event=event, member__isnull=False).values("member")
    attended = Registration.objects.filter(event=event, checked_in_at__isnull=False).values("member")
    return household.filter(pk__in=attended).exclude(pk__in=done)


def evaluation_standing(event: Event, user) -> str:
    """Whether `user` may evaluate `event` for someone of their household: "open", "done"
    (everyone of theirs who was there has), "not_yet" (it has not started) or "not_attended"."""
    if event.starts_at > timezone.now():
        return "not_yet"
    if not user.is_authenticated or not hasattr(user, "member"):
        return "not_attended"
    if attendees_to_evaluate(event, user).exists():
        return "open"
    attended = Registration.objects.filter(
        event=event, checked_in_at__isnull=False, member__in=Member.objects.managed_by(user)
    )
    return "done" if attended.exists() else "not_attended"


@transaction.atomic
def evaluation_submit(
    *,
    event: Event,
    rating: int,
    by,
    member: Member | None = None,
    liked: str = "",
    improve: str = "",
    wish: str = "",
    channel: str = Channel.WEB,
) -> Evaluation:
    """Record one evaluation of an attended event (online by the attendee, or a paper slip entered by staff)."""
    if event.starts_at > timezone.now():
        raise FeedbackError(_("An event can be evaluated once it has taken place."))
    if (
        member is not None
        and not Registration.objects.filter(event=event, member=member, checked_in_at__isnull=False).exists()
    ):
        raise FeedbackError(_("Only people who were checked in at the event can evaluate it."))
    try:
        with transaction.atomic():
            return Evaluation.objects.create(
                event=event,
                member=member,
                rating=rating,
                liked=liked,
                improve=improve,
                wish=wish,
                channel=channel,
                entered_by=by,
            )
    except IntegrityError:
        raise FeedbackError(_("%(name)s has already evaluated this event.") % {"name": member.name}) from None


def evaluation_invitations_send(*, now=None) -> int:
    """After an event, invite everyone who was checked in to evaluate it (once)."""
    now = now or timezone.now()
    recent = Registration.objects.filter(
        checked_in_at__isnull=False,
        event__ends_at__lte=now,
        event__ends_at__gte=now - timedelta(days=7),
    ).select_related("event", "member")
    sent = 0
    for registration in recent.iterator(chunk_size=500):
        with transaction.atomic():
            _invitation, created = EvaluationInvitation.objects.get_or_create(
                event=registration.event, member=registration.member
            )
            if created:
                notify(
                    member=registration.member,
                    text=_("How was “%(event)s”? Tell us in one minute.") % {"event": registration.event.title},
                    url=reverse("feedback:evaluate", args=[registration.event_id]),
                )
                sent += 1
    return sent


# ---------------------------------------------------------------- needs board


@transaction.atomic
def need_post(*, member: Member, category: str, village: str, text: str) -> Need:
    """A villager posts a need; it starts its public timeline as received."""
    need = Need.objects.create(posted_by=member, category=category, village=village, text=text)
    NeedStep.objects.create(need=need, state=Need.State.RECEIVED)
    return need


def need_support(*, need: Need, member: Member) -> None:
    """A villager supports (+1) someone else's need, once; the count is kept on the need."""
    if need.posted_by_id == member.pk:
        raise FeedbackError(_("You posted this need; your support is already counted."))
    try:
        with transaction.atomic():
            NeedSupport.objects.create(need=need, member=member)
            Need.objects.filter(pk=need.pk).update(support_count=F("support_count") + 1)
    except IntegrityError:
        raise FeedbackError(_("You already support this need.")) from None


@locking
def need_report(*, need: Need, member: Member) -> bool:
    """Report a need as inappropriate; three different members hide it until staff look. True if hidden now."""
    if need.posted_by_id == member.pk:
        raise FeedbackError(_("This is your own need: you cannot report it. To change or remove it, ask the staff."))
    NeedReport.objects.get_or_create(need=need, member=member)
    need = Need.objects.select_for_update().get(pk=need.pk)
    if not need.hidden and need.reports.count() >= REPORTS_TO_HIDE:
        need.hidden, need.hidden_reason = True, _("Reported by several villagers; staff will look at it.")
        need.hidden_at, need.hidden_by = timezone.now(), None  # hidden by the reports, not by a person
        need.save(update_fields=["hidden", "hidden_reason", "hidden_at", "hidden_by"])
        return True
    return False


@locking
def need_advance(*, need: Need, state: str, reply: str, by) -> NeedStep:
    """Staff move a need to its next state with a public reply, recorded on its timeline."""
    need = Need.objects.select_for_update().get(pk=need.pk)
    if state not in Need.NEXT[need.state]:
        raise FeedbackError(
            _("A need that is “%(now)s” cannot become “%(next)s”.")
            % {"now": need.get_state_display(), "next": Need.State(state).label}
        )
    if state == Need.State.DECLINED and not reply.strip():
        raise FeedbackError(_("Give the public reason for declining."))
    if state == Need.State.SCHEDULED and not need.events.exists():
        raise FeedbackError(_("Link the event that answers this need first."))
    need.state = state
    need.save(update_fields=["state"])
    return NeedStep.objects.create(need=need, state=state, reply=reply, by=by)


@locking
def need_set_hidden(*, need: Need, hidden: bool, reason: str = "", by) -> None:
    """Staff hide a need from the board (with a public reason) or show it again; who and when is kept."""
    if hidden and not reason.strip():
        raise FeedbackError(_("Give the reason for hiding."))
    need = Need.objects.select_for_update().get(pk=need.pk)
    need.hidden, need.hidden_reason = hidden, reason if hidden else ""
    need.hidden_at, need.hidden_by = timezone.now(), by
    need.save(update_fields=["hidden", "hidden_reason", "hidden_at", "hidden_by"])
    if not hidden:
        need.reports.all().delete()


def need_link_event(*, need: Need, event: Event, by) -> None:
    """Staff answer a need with an event; its supporters hear of it once the event is published."""
    link, _created = NeedEvent.objects.get_or_create(
        need=need, event=event, defaults={"linked_by": by, "linked_at": timezone.now()}
    )
    if event.status == Event.Status.APPROVED:
        _tell_supporters(link)


def _tell_supporters(link: NeedEvent) -> int:
    people = {link.need.posted_by} | {s.member for s in link.need.supports.select_related("member")}
    for member in people:
        notify(
            member=member,
            text=_("You asked for it: “%(event)s” is on. Sign up now.") % {"event": link.event.title},
            url=link.event.get_absolute_url(),
        )
    link.notified_at = timezone.now()
    link.save(update_fields=["notified_at"])
    return len(people)


def need_supporters_notify() -> int:
    """Tell posters and supporters about linked events published since they were linked."""
    told = 0
    pending = NeedEvent.objects.filter(notified_at__isnull=True, event__status=Event.Status.APPROVED).select_related(
        "need__posted_by", "event"
    )
    for link in pending:
        with transaction.atomic():
            told += _tell_supporters(link)
    return told
