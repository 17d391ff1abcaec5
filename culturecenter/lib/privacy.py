"""Masking personal data where it is shown to people who do not need all of it."""


def mask_mobile(mobile: str | None) -> str:
    """13800001234 → 138****1234."""
    if not mobile or len(mobile) != 11:
        return ""
    return f"{mobile[:3]}****{mobile[-4:]}"


def mask_name(name: str) -> str:
    """张小明 → 张*明, 王芳 → 王*: enough for a neighbour to recognise, not to identify."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
