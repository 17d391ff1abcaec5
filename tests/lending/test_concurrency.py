"""Two desks scanning the same copy at the same moment, on PostgreSQL with real threads."""

import functools
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.utils import timezone

from culturecenter.lib import locks
from culturecenter.lib.locks import TryAgain
from lending import services
from lending.models import Copy, Hold, Loan
from tests.conftest import lend, make_book, make_villager

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


def _copy_kept_for(reader, *, next_in_line):
    """A copy on the hold shelf for `reader` since last week, past its collect-by date,
    with another reader waiting behind."""
    book = make_book()
    copy = book.copies.get()
    lend(copy, make_villager(name="还书人"))
    Hold.objects.create(book=book, member=reader, placed_at=timezone.now() - timedelta(days=2))
    Hold.objects.create(book=book, member=next_in_line, placed_at=timezone.now() - timedelta(days=1))
    services.loan_return(barcode=copy.barcode, by=None)
    hold = Hold.objects.get(book=book, member=reader, status=Hold.Status.READY)
    Hold.objects.filter(pk=hold.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    return copy, hold


def _at_once(*actions) -> list[str]:
    """Run the actions in threads released together; what each met."""
    barrier = threading.Barrier(len(actions))

    def run(action):
        try:
            barrier.wait()
            action()
            return "done"
        except services.LendingError:
            return "refused"
        except (TryAgain, OperationalError) as error:  # a deadlock PostgreSQL broke, or a lock wait given up
            return f"stuck: {error!r}"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(actions)) as pool:
        return list(pool.map(run, actions))


def test_lending_a_kept_copy_while_its_hold_lapses_or_is_cancelled_never_deadlocks():
    """The reader collects at one desk while another desk cancels the hold and the nightly
    job lapses it: the three lock the copy and the hold, and must take them in one order."""
    reader, next_in_line = make_villager(name="取书人"), make_villager(name="排队人")
    outcomes = []
    for _round in range(12):
        copy, hold = _copy_kept_for(reader, next_in_line=next_in_line)
        outcomes += _at_once(
            functools.partial(services.loan_checkout, barcode=copy.barcode, member=reader, by=None),
            functools.partial(services.hold_cancel, hold=hold, by=None),
            services.holds_expire,
        )

        hold.refresh_from_db()
        copy.refresh_from_db()
        lent = Loan.objects.filter(copy=copy, member=reader, returned_at__isnull=True).exists()
        assert (hold.status == Hold.Status.COLLECTED) == lent
        assert copy.status == (Copy.Status.ON_LOAN if lent else Copy.Status.ON_HOLD_SHELF)
        Loan.objects.filter(copy=copy).update(returned_at=timezone.now())
        Hold.objects.filter(book=copy.book).exclude(status__in=["collected", "cancelled"]).update(status="expired")

    assert [o for o in outcomes if o.startswith("stuck")] == []


def test_a_desk_waiting_too_long_for_a_copy_is_told_to_try_again(desk, villager, monkeypatch):
    monkeypatch.setattr(locks, "LOCK_TIMEOUT_MS", 200)
    copy = make_book().copies.get()
    locked, done = threading.Event(), threading.Event()

    def other_desk_holds_the_copy():
        try:
            with transaction.atomic():
                Copy.objects.select_for_update().get(pk=copy.pk)
                locked.set()
                done.wait(timeout=30)
        finally:
            connections.close_all()

    other = threading.Thread(target=other_desk_holds_the_copy)
    other.start()
    locked.wait(timeout=30)
    try:
        desk.post("/library/desk/", {"action": "scan", "code": villager.reader_card})
        response = desk.post("/library/desk/", {"action": "scan", "code": copy.barcode}, follow=True)
    finally:
        done.set()
        other.join()

    assert "系统繁忙，请再试一次" in response.content.decode()
    assert not Loan.objects.filter(copy=copy).exists()
