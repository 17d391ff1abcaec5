"""Masking personal data where it is shown to people who do not need all of it."""


def mask_mobile(mobile: str | None) -> str:
    """13800001234 → 138****1234."""
    if not mobile or len(mobile) != 11:
        return ""
    return f"{mobile[:3]}****{mobile[-4:]}"
