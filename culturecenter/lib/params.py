def as_id(value) -> int:
    """A posted or queried id as an int, or 0 (which matches no row) for anything else."""
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 19 else 0
