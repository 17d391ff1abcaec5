"""The briefing's workflow: drafts, prose, next steps, sign-off (签发) with gapless numbers,
corrections as new versions; and needs that follow their events to 已评价."""

from django.db import transaction
from django.db.models import Avg, Count, Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Event
from culturecenter.lib.locks import locking
from culturecenter.services import notify
from feedback.briefings import document
from feedback.models import SATISFIED_FROM_RATING, Briefing, BriefingTargets, Evaluation, Need, NeedStep, NextStep
from feedback.services import FeedbackError

SECTION_KEYS = ("overview", "activities", "evaluation", "supply", "teams", "venues", "reading", "publicity", "issues")


def _editable(briefing: Briefing) -> Briefing:
    locked = Briefing.objects.select_for_update().get(pk=briefing.pk)
    if locked.is_signed:
        raise FeedbackError(_("A signed-off briefing cannot be changed; make a corrected version instead."))
    return locked


def briefing_create(*, title: str, first, last, kind=Briefing.Kind.REGULAR, by) -> Briefing:
    """A new draft for a period; its figures are computed whenever it is opened, until sign-off."""
    if last < first:
        raise FeedbackError(_("The period must end on or after its first day."))
    return Briefing.objects.create(title=title, starts_on=first, ends_on=last, kind=kind, created_by=by, updated_by=by)


@locking
def briefing_write(*, briefing: Briefing, texts: dict, annotations: dict | None = None, by) -> Briefing:
    """Staff write the prose of each section and notes on figures; the figures stay computed."""
    briefing = _editable(briefing)
    briefing.texts = {k: v.strip() for k, v in texts.items() if k in SECTION_KEYS and v.strip()}
    if annotations is not None:
        briefing.annotations = {k: v.strip() for k, v in annotations.items() if v.strip()}
    briefing.updated_by = by
    briefing.save(update_fields=["texts", "annotations", "updated_by", "updated_at"])
    return briefing


@locking
def next_step_add(*, briefing: Briefing, text: str, needs=(), events=(), evaluations=(), by) -> NextStep:
    """下步打算, tied to the needs, events and evaluations it answers."""
    _editable(briefing)
    if not text.strip():
        raise FeedbackError(_("Write the next step."))
    step = NextStep.objects.create(briefing=briefing, text=text.strip(), created_by=by)
    step.needs.set(needs)
    step.events.set(events)
    step.evaluations.set(evaluations)
    return step


@locking
def next_step_remove(*, step: NextStep, by) -> None:
    """Take a next step out of a draft (the draft's last editor is recorded)."""
    briefing = _editable(step.briefing)
    step.delete()
    briefing.updated_by = by
    briefing.save(update_fields=["updated_by", "updated_at"])


@locking
def briefing_sign(*, briefing: Briefing, by, now=None) -> Briefing:
    """签发: a reviewer who did not write it freezes the briefing and gives it its number.

    Numbers are given here, under a lock on the one targets row that every sign-off takes first
    (lock order: targets, then the briefing), so two sign-offs at once get consecutive numbers;
    the unique constraints catch anything that slips past. Drafts take no number, so a draft
    abandoned leaves no gap."""
    now = now or timezone.now()
    if not by.has_perm("feedback.sign_briefing"):
        raise FeedbackError(_("Only a reviewer (审核人) signs off a briefing."))
    if briefing.created_by_id == by.pk:
        raise FeedbackError(_("The author cannot sign off their own briefing; another reviewer must."))
    data = document.snapshot(briefing, now=now)  # the long part, before any lock is taken
    BriefingTargets.current()
    BriefingTargets.objects.select_for_update().get(pk=1)
    briefing = _editable(briefing)
    if briefing.replaces_id:
        previous = briefing.replaces
        briefing.year, briefing.number, briefing.total_number = previous.year, previous.number, previous.total_number
    else:
        briefing.year = briefing.ends_on.year
        same_kind = Briefing.objects.signed().filter(kind=briefing.kind, version=1)
        briefing.number = (same_kind.filter(year=briefing.year).aggregate(n=Max("number"))["n"] or 0) + 1
        if briefing.kind == Briefing.Kind.REGULAR:
            briefing.total_number = (same_kind.aggregate(n=Max("total_number"))["n"] or 0) + 1
    data["texts"], data["annotations"] = dict(briefing.texts), dict(briefing.annotations)
    briefing.state, briefing.signed_by, briefing.signed_at = Briefing.State.SIGNED, by, now
    data["signed_at"] = timezone.localtime(now).date().isoformat()
    briefing.snapshot = data
    briefing.changes = document.changes(briefing.replaces.snapshot, data) if briefing.replaces_id else []
    briefing.html = document.render(briefing, data)
    briefing.public_html = document.render(briefing, data, public=True)
    briefing.save()
    return briefing


@locking
def briefing_revise(*, briefing: Briefing, note: str, by) -> Briefing:
    """A correction of a signed-off briefing: a new draft version, same period and number, that
    says what it corrects; its prose and next steps are copied to be edited."""
    signed = Briefing.objects.select_for_update().get(pk=briefing.pk)
    if not signed.is_signed:
        raise FeedbackError(_("Only a signed-off briefing is corrected by a new version; edit the draft."))
    if Briefing.objects.filter(replaces=signed).exists():
        raise FeedbackError(_("This version already has a correction; correct the newest version."))
    if not note.strip():
        raise FeedbackError(_("Say what the new version corrects."))
    draft = Briefing.objects.create(
        title=signed.title,
        kind=signed.kind,
        starts_on=signed.starts_on,
        ends_on=signed.ends_on,
        version=signed.version + 1,
        replaces=signed,
        correction_note=note.strip(),
        texts=signed.texts,
        annotations=signed.annotations,
        created_by=by,
        updated_by=by,
    )
    for step in signed.next_steps.prefetch_related("needs", "events", "evaluations"):
        copy = NextStep.objects.create(briefing=draft, text=step.text, created_by=step.created_by)
        copy.needs.set(step.needs.all())
        copy.events.set(step.events.all())
        copy.evaluations.set(step.evaluations.all())
    return draft


def needs_follow_events(*, now=None, by=None) -> int:
    """Needs whose linked events have all been held and evaluated move to 已评价, with a timeline
    entry giving the events' satisfaction, and their poster and supporters are told. Run by the
    `needs_follow_events` command (daily); returns how many needs moved."""
    now = now or timezone.now()
    not_done = Event.objects.filter(needs=OuterRef("pk")).filter(
        ~Q(status=Event.Status.APPROVED) | Q(ends_at__gt=now) | ~Exists(Evaluation.objects.filter(event=OuterRef("pk")))
    )
    ready = Need.objects.filter(state__in=[Need.State.SCHEDULED, Need.State.DELIVERED], events__isnull=False).filter(
        ~Exists(not_done)
    )
    moved = 0
    for need_id in ready.values_list("pk", flat=True).distinct():
        with transaction.atomic():
            need = Need.objects.select_for_update().get(pk=need_id)
            if need.state not in (Need.State.SCHEDULED, Need.State.DELIVERED):
                continue
            rated = Evaluation.objects.filter(event__needs=need).aggregate(
                n=Count("pk"), happy=Count("pk", filter=Q(rating__gte=SATISFIED_FROM_RATING)), average=Avg("rating")
            )
            share = f"{100 * rated['happy'] / rated['n']:.0f}%" if rated["n"] else "—"
            reply = _("The events held for it were evaluated: %(share)s satisfied (%(n)s evaluations).") % {
                "share": share,
                "n": rated["n"],
            }
            if need.state == Need.State.SCHEDULED:
                NeedStep.objects.create(need=need, state=Need.State.DELIVERED, reply=_("The events were held."), by=by)
            NeedStep.objects.create(need=need, state=Need.State.EVALUATED, reply=reply, by=by)
            need.state = Need.State.EVALUATED
            need.save(update_fields=["state"])
            people = {need.posted_by} | {s.member for s in need.supports.select_related("member")}
            for member in people:
                notify(
                    member=member,
                    text=_("What you asked for was held and evaluated: %(share)s satisfied.") % {"share": share},
                    url=need.get_absolute_url(),
                )
            moved += 1
    return moved
