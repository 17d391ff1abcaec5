"""Short codes a person reads aloud or types from a slip of paper."""

import secrets

from django.utils.crypto import salted_hmac

# No 0/O, 1/I/L, 5/S or 2/Z: nothing that reads as something else when written by hand.
ALPHABET = "ABCDEFGHJKMNPQRTUVWXY346789"


def new_code(length: int = 8) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise_code(text: str) -> str:
    """What was typed, upper case, without spaces or dashes ("abcd-efgh" → "ABCDEFGH")."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def readable(code: str) -> str:
    """ABCDEFGH → ABCD-EFGH."""
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


def code_hash(code: str, purpose: str) -> str:
    """A keyed hash (the site's secret key): a stolen database does not give the codes."""
    return salted_hmac(purpose, normalise_code(code)).hexdigest()
