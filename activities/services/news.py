"""News workflows (先审后发): submit with a personal-data check, approve (never the author),
return, publish the approved text now or at `publish_at`, withdraw with a reason.

An article whose text no longer matches the fingerprint taken at approval goes back to
review instead of being published. Figures shown on an article are computed from the
linked events' records; satisfaction comes from providers other apps register
(`register_figure`), since activities may not import feedback."""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Article, ArticleStep, Event, Registration
from activities.services.events import ActivityError
from culturecenter.lib import pagecache
from culturecenter.lib.locks import locking
from culturecenter.models import Village

# A mobile number (11 digits from 1[3-9], spaces or hyphens allowed between groups) or a
# resident ID number (17 digits and a digit or X), not inside a longer run of digits.
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d(?:[\s-]?\d){8}(?!\d)")
_ID_NUMBER = re.compile(r"(?<!\d)\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?!\d)")


def personal_data_warnings(article: Article) -> list[str]:
    """What a reviewer must not let out: mobile and ID numbers in the text, and photos of
    minors without a recorded consent. Full-width digits count as digits."""
    text = unicodedata.normalize("NFKC", "\n".join([article.title, article.summary, article.body]))
    text += "\n" + "\n".join(unicodedata.normalize("NFKC", p.caption) for p in article.photos.all())
    warnings = []
    mobiles = _MOBILE.findall(text)
    if mobiles:
        warnings.append(
            _("The text contains what looks like a mobile number (%(found)s). Remove it unless the person agreed.")
            % {"found": "、".join(mobiles)}
        )
    ids = _ID_NUMBER.findall(_MOBILE.sub(" ", text)) or _ID_NUMBER.findall(text)
    if ids:
        warnings.append(
            _("The text contains what looks like an ID number (%(found)s). ID numbers are never published.")
            % {"found": "、".join(f"{n[:6]}…" for n in ids)}
        )
    minors = [p for p in article.photos.all() if p.shows_minors and not p.consent_recorded]
    if minors:
        warnings.append(
            _("%(count)s photos show children or teenagers without a recorded consent of their guardians.")
            % {"count": len(minors)}
        )
    return warnings


def _step(article, action, by, opinion=""):
    ArticleStep.objects.create(article=article, action=action, actor=by, opinion=opinion)


@locking
def article_submit(*, article: Article, by, opinion: str = "", warnings_read: bool = False) -> None:
    """The author sends a draft (or a returned article) to review; personal data found in it
    must be read and confirmed first (`warnings_read`), or the submission is refused with the list."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.status not in (Article.Status.DRAFT, Article.Status.RETURNED):
        raise ActivityError(_("Only a draft or a returned article can be submitted."))
    warnings = personal_data_warnings(article)
    if warnings and not warnings_read:
        raise ActivityError(warnings)
    article.status = Article.Status.SUBMITTED
    article.save(update_fields=["status"])
    if warnings:
        opinion = "\n".join([opinion, _("The author confirmed these warnings:"), *warnings]).strip()
    _step(article, ArticleStep.Action.SUBMITTED, by, opinion)


def approval_problems(article: Article, by) -> list[str]:
    """Why `by` may not approve `article` now; empty when they may."""
    problems = []
    if not by.has_perm("activities.approve_article"):
        problems.append(_("Only a reviewer (审核人) can approve news."))
    if article.created_by_id == by.pk:
        problems.append(_("The author of an article cannot approve it; another reviewer must."))
    if article.status != Article.Status.SUBMITTED:
        problems.append(_("Only an article awaiting review can be approved."))
    return problems


@locking
def article_approve(*, article: Article, by, opinion: str = "", now=None) -> None:
    """A reviewer approves the text as it stands now (its fingerprint is kept); it is
    published at once, or at `publish_at` by `publish_news`."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    problems = approval_problems(article, by)
    if problems:
        raise ActivityError(problems)
    now = now or timezone.now()
    article.approved_hash = article.text_hash()
    article.status = Article.Status.APPROVED
    article.save(update_fields=["status", "approved_hash"])
    _step(article, ArticleStep.Action.APPROVED, by, opinion)
    if article.publish_at is None or article.publish_at <= now:
        _publish(article, now, by)


@locking
def article_return(*, article: Article, by, opinion: str) -> None:
    """A reviewer sends a submitted article back to its author with the reason."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if not by.has_perm("activities.approve_article"):
        raise ActivityError(_("Only a reviewer (审核人) can return news."))
    if article.status != Article.Status.SUBMITTED:
        raise ActivityError(_("Only an article awaiting review can be returned."))
    if not opinion.strip():
        raise ActivityError(_("Say why the article is returned, so the author knows what to change."))
    article.status = Article.Status.RETURNED
    article.save(update_fields=["status"])
    _step(article, ArticleStep.Action.RETURNED, by, opinion)


@transaction.atomic
def article_reopen_after_change(*, article: Article, by) -> bool:
    """The text of an approved or published article changed: it goes back to review (and
    off the public pages) until approved again. True if it was sent back."""
    if article.status not in (Article.Status.APPROVED, Article.Status.PUBLISHED) or not article.changed_since_approval:
        return False
    article.status = Article.Status.SUBMITTED
    article.approved_hash = ""
    article.save(update_fields=["status", "approved_hash"])
    _step(article, ArticleStep.Action.REOPENED, by)
    pagecache.new_generation()
    return True


def _publish(article: Article, now, by) -> None:
    article.status = Article.Status.PUBLISHED
    article.published_at = article.publish_at if article.publish_at and article.publish_at <= now else now
    article.save(update_fields=["status", "published_at"])
    _step(article, ArticleStep.Action.PUBLISHED, by)
    transaction.on_commit(pagecache.new_generation)


def news_publish_due(*, now=None, by=None) -> tuple[int, int]:
    """Publish approved articles whose time has come, if their text is still the approved
    one; an article changed since goes back to review. Returns (published, sent back)."""
    now = now or timezone.now()
    published = reopened = 0
    for pk in Article.objects.due(now).values_list("pk", flat=True):
        with transaction.atomic():
            article = Article.objects.select_for_update().get(pk=pk)
            if article.status != Article.Status.APPROVED:
                continue
            if article.text_hash() != article.approved_hash:
                article.status, article.approved_hash = Article.Status.SUBMITTED, ""
                article.save(update_fields=["status", "approved_hash"])
                _step(article, ArticleStep.Action.REOPENED, by)
                reopened += 1
            else:
                _publish(article, now, by)
                published += 1
    return published, reopened


@locking
def article_withdraw(*, article: Article, by, reason: str) -> None:
    """Take a published article down; its page stays and says it was withdrawn, and why."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if not by.has_perm("activities.approve_article"):
        raise ActivityError(_("Only a reviewer (审核人) can withdraw news."))
    if article.status != Article.Status.PUBLISHED:
        raise ActivityError(_("Only a published article can be withdrawn."))
    if not reason.strip():
        raise ActivityError(_("Give the reason; the article's page shows it."))
    article.status = Article.Status.WITHDRAWN
    article.withdrawn_reason, article.withdrawn_at, article.withdrawn_by = reason, timezone.now(), by
    article.save(update_fields=["status", "withdrawn_reason", "withdrawn_at", "withdrawn_by"])
    _step(article, ArticleStep.Action.WITHDRAWN, by, reason)


# ---------------------------------------------------------------- figures


@dataclass
class ArticleFigures:
    """What the linked events' records say, never typed by hand."""

    events: int = 0
    check_ins: int = 0  # 人次: one per person per event
    people: int = 0  # distinct people
    villages: list = field(default_factory=list)  # village labels, in a fixed order
    extra: list = field(default_factory=list)  # (label, value) from registered providers


# Functions (event ids) → list of (label, value) pairs or [], registered by other apps in ready().
FIGURE_PROVIDERS: list[Callable[[list[int]], list[tuple[str, str]]]] = []


def register_figure(provider: Callable[[list[int]], list[tuple[str, str]]]) -> None:
    """Add a figure to every article (feedback adds satisfaction from evaluations)."""
    if provider not in FIGURE_PROVIDERS:
        FIGURE_PROVIDERS.append(provider)


def article_figures(event_ids: list[int]) -> ArticleFigures:
    """Check-ins (人次 and people) and villages reached at these events, plus the registered figures."""
    if not event_ids:
        return ArticleFigures()
    attended = Registration.objects.filter(event_id__in=event_ids, checked_in_at__isnull=False)
    totals = attended.aggregate(check_ins=Count("pk"), people=Count("member", distinct=True))
    reached = set(attended.exclude(member__village="").values_list("member__village", flat=True).distinct())
    reached |= set(
        Event.objects.filter(pk__in=event_ids).exclude(venue__village="").values_list("venue__village", flat=True)
    )
    figures = ArticleFigures(
        events=len(event_ids),
        check_ins=totals["check_ins"],
        people=totals["people"],
        villages=[label for value, label in Village.choices if value in reached],
    )
    for provider in FIGURE_PROVIDERS:
        figures.extra.extend(provider(event_ids))
    return figures
