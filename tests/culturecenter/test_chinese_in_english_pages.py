"""On a page in English, what villagers and staff typed in Chinese (titles, venues, books, names)
is marked lang="zh-Hans", so a screen reader switches to a Chinese voice for it."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from feedback.models import Need
from tests.conftest import make_book, make_event, make_villager

pytestmark = pytest.mark.django_db

ZH = '<span lang="zh-Hans">{}</span>'


@pytest.fixture(autouse=True)
def _chinese_again_afterwards():
    """An English request leaves English active in this thread; later tests expect the site's Chinese."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def english():
    return Client(headers={"cookie": "django_language=en"})


def test_event_titles_and_venues_are_marked_chinese_in_english_pages():
    event = make_event(title="剪纸课")
    listing = english().get("/activities/").content.decode()
    detail = english().get(event.get_absolute_url()).content.decode()

    assert ZH.format("剪纸课") in listing and ZH.format(str(event.venue)) in listing
    assert f"<h1>{ZH.format('剪纸课')}</h1>" in detail and f"<dd>{ZH.format(str(event.venue))}</dd>" in detail


def test_books_and_needs_are_marked_chinese_in_english_pages():
    book = make_book("平凡的世界", author="路遥")
    Need.objects.create(posted_by=make_villager(), category="arts", village="xidamo", text="希望开设书法班")

    catalogue = english().get("/library/").content.decode()
    detail = english().get(book.get_absolute_url()).content.decode()
    board = english().get("/feedback/").content.decode()

    assert ZH.format("平凡的世界") in catalogue and ZH.format("路遥") in catalogue
    assert f"<h1>{ZH.format('平凡的世界')}</h1>" in detail
    assert ZH.format("希望开设书法班") in board and ZH.format("王*华") in board


def test_chinese_pages_and_latin_data_are_not_marked(client):
    make_event(title="Tai Chi")
    make_event(title="剪纸课")
    assert 'lang="zh-Hans"' not in client.get("/activities/").content.decode()
    assert '<span lang="zh-Hans">Tai Chi</span>' not in english().get("/activities/").content.decode()
