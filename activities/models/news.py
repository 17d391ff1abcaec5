"""News: articles reporting on the center's events, reviewed before anything goes out (先审后发)."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models.events import Event
from culturecenter.lib.images import CleanImageField
from culturecenter.lib.text import no_control_characters
from culturecenter.models import actor_field


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """Public and current: published (not withdrawn) and not past an expiry."""
        now = now or timezone.now()
        return self.filter(status=Article.Status.PUBLISHED).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))

    def visible(self):
        """Every article that has been out: published, expired or withdrawn (its page says which)."""
        return self.filter(status__in=[Article.Status.PUBLISHED, Article.Status.WITHDRAWN])

    def due(self, now=None):
        """Approved articles whose publishing time has come (`publish_news`)."""
        return self.filter(status=Article.Status.APPROVED, publish_at__lte=now or timezone.now())


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting review")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", _("Approved, scheduled")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    title = models.CharField(_("title"), max_length=80, validators=[no_control_characters])
    slug = models.SlugField(
        _("address"),
        max_length=60,
        unique=True,
        help_text=_("The article's address: letters, digits and hyphens, e.g. 2024-summer-evenings."),
    )
    summary = models.CharField(_("summary"), max_length=200, validators=[no_control_characters])
    body = models.TextField(
        _("text"),
        max_length=20000,
        help_text=_("A blank line starts a new paragraph; a line starting with “## ” is a heading. No HTML."),
    )
    events = models.ManyToManyField(Event, verbose_name=_("events it reports on"), blank=True, related_name="articles")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        _("publish at"), null=True, blank=True, help_text=_("Empty: as soon as it is approved.")
    )
    expires_at = models.DateTimeField(
        _("expires at"), null=True, blank=True, help_text=_("For notices: leaves the news list after this time.")
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    approved_hash = models.CharField(_("fingerprint of the approved text"), max_length=64, blank=True, editable=False)
    withdrawn_reason = models.CharField(
        _("reason for withdrawing"), max_length=200, blank=True, validators=[no_control_characters]
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = actor_field(_("withdrawn by"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="authored_articles",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "-published_at"])]
        permissions = [("approve_article", _("Can approve news articles (reviewer)"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True)
                | Q(publish_at__isnull=True)
                | Q(expires_at__gt=models.F("publish_at")),
                name="article_expires_after_publishing",
                violation_error_message=_("The expiry must be after the publishing time."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:article", args=[self.slug])

    def text_hash(self) -> str:
        """A fingerprint of what a reviewer reads: title, summary, text and the photos with their captions."""
        photos = [f"{p.image.name}|{p.caption}" for p in self.photos.all()] if self.pk else []
        content = "\x1f".join([self.title, self.summary, self.body, *photos])
        return hashlib.sha256(content.encode()).hexdigest()

    @property
    def changed_since_approval(self) -> bool:
        return bool(self.approved_hash) and self.text_hash() != self.approved_hash

    def is_expired(self, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())


class ArticlePhoto(models.Model):
    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="photos")
    image = CleanImageField(_("photo"), upload_to="news/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=120, blank=True, validators=[no_control_characters])
    shows_minors = models.BooleanField(_("shows children or teenagers"), default=False)
    consent_recorded = models.BooleanField(
        _("guardians' consent recorded"), default=False, help_text=_("Tick only when the signed consent is on file.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("news photo")
        verbose_name_plural = _("news photos")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.caption or self.image.name.rsplit("/", 1)[-1]


class ArticleStep(models.Model):
    """One step of an article's review: who, when, what, and their opinion."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for review")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")
        PUBLISHED = "published", _("Published")
        REOPENED = "reopened", _("Changed after approval: back to review")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("step"), max_length=20, choices=Action.choices)
    actor = actor_field(_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    opinion = models.TextField(_("opinion"), blank=True, max_length=1000)

    class Meta:
        verbose_name = _("article review step")
        verbose_name_plural = _("article review steps")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"


def body_blocks(body: str) -> list[tuple[str, str]]:
    """The text as ("heading" | "paragraph", text) blocks: a blank line separates
    paragraphs, a line starting with "## " is a heading. Templates print the text escaped,
    so nothing typed can become HTML."""
    blocks, lines = [], []

    def flush():
        if lines:
            blocks.append(("paragraph", "\n".join(lines)))
            lines.clear()

    for raw in body.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if line.startswith("## ") or line.startswith("##　"):
            flush()
            blocks.append(("heading", line[3:].strip()))
        elif not line:
            flush()
        else:
            lines.append(line)
    flush()
    return blocks
