"""ISBN-10 and ISBN-13 with their check digits."""

import re


def normalise_isbn(text: str) -> str | None:
    """The ISBN without hyphens or spaces (upper-case X), or None if its check digit is wrong."""
    code = re.sub(r"[\s-]", "", (text or "").translate(FULL_WIDTH)).upper()
    if re.fullmatch(r"\d{9}[\dX]", code):
        total = sum((10 - i) * (10 if ch == "X" else int(ch)) for i, ch in enumerate(code))
        return code if total % 11 == 0 else None
    if re.fullmatch(r"97[89]\d{10}", code):
        return code if isbn13_check_digit(code[:12]) == code[12] else None
    return None


def isbn13_check_digit(first12: str) -> str:
    """The 13th digit: weights 1, 3, 1, 3… so that the total is a multiple of ten."""
    total = sum(int(ch) * (1 if i % 2 == 0 else 3) for i, ch in enumerate(first12))
    return str((10 - total % 10) % 10)


def isbn_forms(isbn: str) -> list[str]:
    """A valid ISBN in both its forms: the barcode on a book printed with an ISBN-10 reads 978…"""
    if len(isbn) == 10:
        return [isbn, "978" + isbn[:9] + isbn13_check_digit("978" + isbn[:9])]
    if isbn.startswith("978"):
        check = (11 - sum((10 - i) * int(ch) for i, ch in enumerate(isbn[3:12])) % 11) % 11
        return [isbn, isbn[3:12] + ("X" if check == 10 else str(check))]
    return [isbn]


# Full-width digits and letters typed with a Chinese input method → ASCII.
FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
