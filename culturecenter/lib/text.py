"""Text typed by people that later lands in headers, email subjects, file names and spreadsheets.

A line break in a name is invisible in a form and fatal in an email header; invisible
format characters (a right-to-left override, a zero-width space) make a name look like
someone else's. Names and titles are one line of visible text."""

import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Control (Cc) and format (Cf) characters, and the line and paragraph separators.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}
_SPACES = re.compile(r"\s+")
SUBJECT_TEXT_LENGTH = 40


def _invisible(ch: str) -> bool:
    return unicodedata.category(ch) in _INVISIBLE_CATEGORIES


def no_control_characters(value) -> None:
    """Validator for names and titles: refuses line breaks, tabs and invisible characters."""
    if isinstance(value, str) and any(_invisible(ch) for ch in value):
        raise ValidationError(
            _("Use one line of ordinary text: no line breaks, tabs or invisible control characters."),
            code="control_characters",
        )


def one_line(text: str) -> str:
    """`text` with every run of spaces, line breaks and invisible characters made one space."""
    visible = "".join(" " if _invisible(ch) else ch for ch in str(text))
    return _SPACES.sub(" ", visible).strip()


def email_subject(text: str) -> str:
    """The subject of every email the center sends. No user text in it can break the
    header (a name with a line break would raise `BadHeaderError` and lose the email)."""
    return f"[{one_line(settings.CENTER_NAME)}] {one_line(text)[:SUBJECT_TEXT_LENGTH]}"
