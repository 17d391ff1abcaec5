"""Mobile numbers as villagers type them: "139 1234 5678", "139-1234-5678",
"１３９１２３４５６７８" (a Chinese keyboard's full-width digits) or "+86 139…"."""

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―·.()（）]+")


def normalise_mobile(text: str | None) -> str:
    """The digits a person meant, without separators or the +86 country code.

    Anything that is not a mobile number comes back only trimmed and
    half-width, for the validator to refuse with its message."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text)).strip()
    digits = _SEPARATORS.sub("", text)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    return digits if digits.isdigit() else text
