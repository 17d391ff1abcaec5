"""`manage.py bench_desk`'s browser run, small: the desk's benchmark must keep working as the desk changes."""

import pytest

from bench import desk_browser
from lending.models import Loan
from tests.conftest import make_book, make_staff, make_villager

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_desk_benchmark_lends_and_returns_a_stack_with_and_without_the_script(chromium, live_server):
    make_staff("librarian", "图书管理员")
    readers = [make_villager(), make_villager(name="李秀兰")]
    for number in range(5):
        make_book(f"书{number}")

    results = desk_browser.run(live_server.url, books=5, browser=chromium)

    assert results["unexpected_answers"] == []
    for way in ("background", "full page"):
        assert results[way]["lend"]["scans"] == results[way]["return"]["scans"] == 5
        assert results[way]["lend"]["median_ms"] > 0
    assert Loan.objects.filter(member__in=readers).count() == 10  # lent and returned twice
    assert not Loan.objects.open().exists()
