"""Two desks scanning the same copy at the same moment, on PostgreSQL with real threads."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from lending import services
from lending.models import Loan
from tests.conftest import make_book, make_villager

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_two_desks_lending_one_copy_make_exactly_one_loan():
    copy = make_book().copies.get()
    readers = [make_villager() for _ in range(8)]
    barrier = threading.Barrier(len(readers))

    def attempt(reader):
        try:
            barrier.wait()
            services.loan_checkout(barcode=copy.barcode, member=reader, by=None)
            return "lent"
        except services.LendingError:
            return "refused"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(readers)) as pool:
        outcomes = list(pool.map(attempt, readers))

    assert outcomes.count("lent") == 1
    assert Loan.objects.filter(copy=copy, returned_at__isnull=True).count() == 1


def test_one_reader_at_two_desks_cannot_pass_the_limit():
    reader = make_villager()
    copies = [make_book(f"书{i}").copies.get() for i in range(8)]
    barrier = threading.Barrier(len(copies))

    def attempt(copy):
        try:
            barrier.wait()
            services.loan_checkout(barcode=copy.barcode, member=reader, by=None)
        except services.LendingError:
            pass
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(copies)) as pool:
        list(pool.map(attempt, copies))

    assert Loan.objects.filter(member=reader, returned_at__isnull=True).count() == 5
