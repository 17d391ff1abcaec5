import re

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@register.filter
def zh(value):
    """Chinese data (an event title, a venue, a book, a name) shown on a page in another language,
    marked lang="zh-Hans" so that a screen reader reads it with a Chinese voice."""
    text = "" if value is None else str(value)
    if (get_language() or "").startswith("zh") or not HAN.search(text):
        return value
    return format_html('<span lang="zh-Hans">{}</span>', text)
