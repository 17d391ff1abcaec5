"""The error every activities workflow raises for a person (kept apart so every module can import it)."""

from django.core.exceptions import ValidationError


class ActivityError(ValidationError):
    """A rule refused the action; the message is meant for the person who tried."""
