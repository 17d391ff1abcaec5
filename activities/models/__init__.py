"""The activities models, one module per area; import them from here."""

from activities.models.events import (
    Attachment,
    Audience,
    AudienceTag,
    Category,
    Event,
    EventQuerySet,
    Presenter,
    Registration,
    RegistrationQuerySet,
    ReviewStep,
    Venue,
    WorkLog,
    event_search_document,
)
from activities.models.news import Article, ArticlePhoto, ArticleQuerySet, ArticleStep, body_blocks

__all__ = [
    "Category",
    "Audience",
    "AudienceTag",
    "Venue",
    "Presenter",
    "EventQuerySet",
    "Event",
    "ReviewStep",
    "RegistrationQuerySet",
    "Registration",
    "WorkLog",
    "Attachment",
    "event_search_document",
    "ArticleQuerySet",
    "Article",
    "ArticlePhoto",
    "ArticleStep",
    "body_blocks",
]
