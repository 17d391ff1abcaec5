"""Circulation: lend, renew, return, holds. Each change to a copy locks the copy row
(and the reader's row where limits are counted) and re-checks under the lock, so two
desks scanning at once can never lend one copy twice or pass a reader's limit.

Lock order, everywhere in lending: the copy, then its holds, then the reader, then the
loan. A service that starts from a hold (cancel, expire) first reads which copy the hold
keeps, locks that copy, and only then the hold. Every locking service runs under
`locking`, so a wait for another desk is bounded and ends in "try again", never a hang
or a deadlock. Nothing here runs on a GET: lapsing holds is the `expire_holds` command's.
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from culturecenter.lib import search
from culturecenter.lib.locks import TryAgain, locking
from culturecenter.models import Member
from culturecenter.services import member_create, notify
from lending.campaigns import checkins_from_loan
from lending.isbn import FULL_WIDTH, normalise_isbn
from lending.models import Book, Copy, Hold, Loan, LoanRules, due_date_from


class LendingError(ValidationError):
    """A rule refused the action; the message is one line for the desk or the villager."""


class LentElsewhere(LendingError):
    def __init__(self, loan: Loan):
        self.loan = loan
        super().__init__(
            _("“%(title)s” is on loan to %(reader)s (due %(due)s). Return it first?")
            % {"title": loan.copy.book.title, "reader": loan.member.name, "due": loan.due_date.strftime("%m-%d")}
        )


def normalise_scan(text: str) -> str:
    """What a scanner or a Chinese input method typed, as a code: no spaces, ASCII, upper case."""
    return re.sub(r"\s", "", (text or "").translate(FULL_WIDTH)).upper()[:40]


def is_card(code: str) -> bool:
    """Whether a scanned code is a reader card (R + digits)."""
    return re.fullmatch(r"R\d{4,12}", code) is not None


def is_book(code: str) -> bool:
    """Whether a scanned code is a copy's barcode (B + digits)."""
    return re.fullmatch(r"B\d{4,12}", code) is not None


# ---------------------------------------------------------------- lending


def _waiting_holds(book_id, exclude_member=None):
    holds = Hold.objects.filter(book_id=book_id, status=Hold.Status.WAITING)
    if exclude_member is not None:
        holds = holds.exclude(member=exclude_member)
    return holds.select_related("member").order_by("placed_at", "pk")


@locking
def loan_checkout(*, barcode: str, member: Member, by) -> tuple[Loan, bool]:
    """Lend the copy to the reader, or renew it if they already have it.
    Returns (loan, renewed)."""
    rules = LoanRules.current()
    copy = Copy.objects.select_for_update().select_related("book").get(barcode=barcode)
    own_hold = Hold.objects.select_for_update().filter(book=copy.book, member=member).active().first()
    member = Member.objects.select_for_update().get(pk=member.pk)
    open_loan = copy.loans.open().select_related("member", "copy__book").first()
    if open_loan is not None:
        if open_loan.member_id == member.pk:
            return loan_renew(loan=open_loan, by=by), True
        raise LentElsewhere(open_loan)
    if copy.status in (Copy.Status.LOST, Copy.Status.WITHDRAWN):
        raise LendingError(
            _("“%(title)s” (%(barcode)s) is recorded as %(status)s; check it in the admin first.")
            % {"title": copy.book.title, "barcode": copy.barcode, "status": copy.get_status_display()}
        )
    overdue = member.loans.overdue().select_related("copy__book").first()
    if overdue:
        raise LendingError(
            _("%(reader)s has an overdue book: “%(title)s” (due %(due)s). It must come back first.")
            % {"reader": member.name, "title": overdue.copy.book.title, "due": overdue.due_date.strftime("%m-%d")}
        )
    if member.loans.open().count() >= rules.max_loans:
        raise LendingError(
            _("%(reader)s already has %(count)s books, the limit.") % {"reader": member.name, "count": rules.max_loans}
        )
    if copy.status == Copy.Status.ON_HOLD_SHELF:
        kept_for = copy.holds.filter(status=Hold.Status.READY).select_related("member").first()
        if kept_for and kept_for.member_id != member.pk:
            raise LendingError(
                _("This copy is kept on the hold shelf for %(reader)s.") % {"reader": kept_for.member.name}
            )
    else:
        others = list(_waiting_holds(copy.book_id, exclude_member=member)[:5])
        free = copy.book.copies.filter(status=Copy.Status.ON_SHELF).count()
        if others and free <= len(others) and own_hold is None:
            raise LendingError(
                _("“%(title)s” is reserved for %(reader)s; put it on the hold shelf.")
                % {"title": copy.book.title, "reader": others[0].member.name}
            )
    if own_hold is not None:
        own_hold.status, own_hold.copy, own_hold.closed_at = Hold.Status.COLLECTED, copy, timezone.now()
        own_hold.save(update_fields=["status", "copy", "closed_at"])
    try:
        with transaction.atomic():
            loan = Loan.objects.create(
                copy=copy, member=member, loaned_by=by, due_date=due_date_from(timezone.localdate(), rules)
            )
    except IntegrityError:  # the constraint caught a second desk at the same instant
        raise LendingError(_("This copy was lent a moment ago at another desk.")) from None
    copy.status = Copy.Status.ON_LOAN
    copy.save(update_fields=["status"])
    checkins_from_loan(loan=loan)
    return loan, False


def renewal_problem(loan: Loan, rules: LoanRules, *, online: bool, others_waiting: bool | None = None) -> str | None:
    """Why this loan cannot be renewed now, or None. Lists pass `others_waiting` to save a query per loan."""
    if loan.returned_at is not None:
        return _("This book has already been returned.")
    if loan.renewals >= rules.max_renewals:
        return _("“%(title)s” has been renewed %(count)s times already, the limit.") % {
            "title": loan.copy.book.title,
            "count": loan.renewals,
        }
    if others_waiting is None:
        others_waiting = _waiting_holds(loan.copy.book_id, exclude_member=loan.member).exists()
    if others_waiting:
        return _("Someone is waiting for “%(title)s”, so it cannot be renewed.") % {"title": loan.copy.book.title}
    if online and loan.is_overdue:
        return _("“%(title)s” is overdue; please bring it back to the library.") % {"title": loan.copy.book.title}
    return None


def renewed_due_date(loan: Loan, rules: LoanRules):
    """The due date a renewal today gives: a full loan period from today, never earlier than now."""
    return max(loan.due_date, due_date_from(timezone.localdate(), rules))


@locking
def loan_renew(*, loan: Loan, by, online: bool = False) -> Loan:
    """Renew a loan once by the loan period, at the desk or online, unless the rules refuse it."""
    rules = LoanRules.current()
    loan = Loan.objects.select_for_update().select_related("copy__book", "member").get(pk=loan.pk)
    problem = renewal_problem(loan, rules, online=online)
    if problem:
        raise LendingError(problem)
    loan.due_date = renewed_due_date(loan, rules)
    loan.renewals += 1
    loan.renewed_at, loan.renewed_by = timezone.now(), by
    loan.save(update_fields=["due_date", "renewals", "renewed_at", "renewed_by"])
    return loan


@dataclass
class ReturnResult:
    copy: Copy
    loan: Loan | None = None
    kept_for: Hold | None = None
    notes: list[str] = field(default_factory=list)


def _route_to_hold(copy: Copy, rules: LoanRules) -> Hold | None:
    """Keep the copy for the first reader waiting for its book and tell them; else shelve it."""
    hold = _waiting_holds(copy.book_id).select_for_update().first()
    if hold is None:
        copy.status = Copy.Status.ON_SHELF
        copy.save(update_fields=["status"])
        return None
    hold.status, hold.copy = Hold.Status.READY, copy
    hold.ready_at = timezone.now()
    hold.expires_on = timezone.localdate() + timedelta(days=rules.hold_pickup_days)
    hold.save(update_fields=["status", "copy", "ready_at", "expires_on"])
    copy.status = Copy.Status.ON_HOLD_SHELF
    copy.save(update_fields=["status"])
    notify(
        member=hold.member,
        text=_("“%(title)s” is ready for %(reader)s at the library desk until %(date)s.")
        % {"title": copy.book.title, "reader": hold.member.name, "date": hold.expires_on.strftime("%m-%d")},
        url=copy.book.get_absolute_url(),
    )
    return hold


@locking
def loan_return(*, barcode: str, by) -> ReturnResult:
    """Take a copy back: close its loan and pass the copy to the first waiting hold, or to the shelf."""
    rules = LoanRules.current()
    copy = Copy.objects.select_for_update().select_related("book").get(barcode=barcode)
    loan = copy.loans.open().select_related("member").first()
    if loan is None:
        if copy.status == Copy.Status.ON_SHELF and _waiting_holds(copy.book_id).exists():
            # Pulled from the shelf for a hold.
            return ReturnResult(copy=copy, kept_for=_route_to_hold(copy, rules))
        raise LendingError(
            _("“%(title)s” (%(barcode)s) is not on loan.") % {"title": copy.book.title, "barcode": copy.barcode}
        )
    loan.returned_at, loan.returned_by = timezone.now(), by
    loan.save(update_fields=["returned_at", "returned_by"])
    result = ReturnResult(copy=copy, loan=loan)
    if copy.status != Copy.Status.WITHDRAWN:  # a copy recorded lost that comes back is found
        result.kept_for = _route_to_hold(copy, rules)
    return result


# ---------------------------------------------------------------- holds


@locking
def hold_place(*, book: Book, member: Member, by) -> Hold:
    """Place a hold on a book for a member within the hold limit; a copy on the shelf is kept at once."""
    rules = LoanRules.current()
    member = Member.objects.select_for_update().get(pk=member.pk)
    if Hold.objects.filter(book=book, member=member).active().exists():
        raise LendingError(_("%(reader)s already has a hold on this book.") % {"reader": member.name})
    if member.loans.open().filter(copy__book=book).exists():
        raise LendingError(_("%(reader)s has this book at home already.") % {"reader": member.name})
    if member.holds.active().count() >= rules.max_holds:
        raise LendingError(
            _("%(reader)s already has %(count)s holds, the limit.") % {"reader": member.name, "count": rules.max_holds}
        )
    if not book.copies.exclude(status__in=[Copy.Status.LOST, Copy.Status.WITHDRAWN]).exists():
        raise LendingError(_("The library has no copy of this book to lend."))
    return Hold.objects.create(book=book, member=member, placed_by=by)


def _lock_hold_and_its_copy(pk) -> tuple[Hold, Copy | None]:
    """Lock a hold in the module's order: the copy it keeps first, then the hold.
    The hold may be given a copy between the first read and the lock; then lock that one."""
    for _attempt in range(3):
        copy_id = Hold.objects.filter(pk=pk).values_list("copy_id", flat=True).get()
        copy = Copy.objects.select_for_update().select_related("book").get(pk=copy_id) if copy_id else None
        hold = Hold.objects.select_for_update().get(pk=pk)
        if hold.copy_id == copy_id:
            return hold, copy
    raise TryAgain()


@locking
def hold_cancel(*, hold: Hold, by) -> None:
    """The reader (or the desk for them) gives up a hold; a copy kept for it goes to the next in line."""
    rules = LoanRules.current()
    hold, copy = _lock_hold_and_its_copy(hold.pk)
    if hold.status not in (Hold.Status.WAITING, Hold.Status.READY):
        raise LendingError(_("This hold is no longer active."))
    was_ready = hold.status == Hold.Status.READY
    hold.status, hold.closed_at, hold.cancelled_by = Hold.Status.CANCELLED, timezone.now(), by
    hold.save(update_fields=["status", "closed_at", "cancelled_by"])
    if was_ready and copy is not None:
        _route_to_hold(copy, rules)


@locking
def _hold_expire(*, pk, today) -> bool:
    rules = LoanRules.current()
    hold, copy = _lock_hold_and_its_copy(pk)
    if not hold.is_past_pickup(today):  # collected or cancelled meanwhile
        return False
    hold.status, hold.closed_at = Hold.Status.EXPIRED, timezone.now()
    hold.save(update_fields=["status", "closed_at"])
    if copy is not None:
        _route_to_hold(copy, rules)
    return True


def holds_expire(*, today=None) -> int:
    """Ready holds not collected in time lapse; their copy passes to the next in line.
    One short transaction per hold; a hold a desk is busy with is left for the next run."""
    today = today or timezone.localdate()
    overdue = Hold.objects.past_pickup(today).values_list("pk", flat=True)
    expired = 0
    for pk in list(overdue):
        try:
            expired += _hold_expire(pk=pk, today=today)
        except TryAgain:
            continue
    return expired


# ---------------------------------------------------------------- at the desk


def readers_matching(text: str, limit: int = 8):
    """Readers whose name contains the text, or whose mobile contains the digits."""
    text = text.strip()
    if not text:
        return Member.objects.none()
    query = search.contains(text, "name")
    if text.isdigit() and len(text) >= 4:
        query |= Q(mobile__contains=text)
    return Member.objects.present().filter(query).order_by("name", "pk")[:limit]


@transaction.atomic
def reader_register(*, card: str, name: str, mobile: str | None, village: str, birth_year: int, by) -> Member:
    """A villager new to the library: record them with the card just scanned."""
    if Member.objects.filter(reader_card=card).exists():
        raise LendingError(_("The card %(card)s is already issued.") % {"card": card})
    return member_create(name=name, mobile=mobile, village=village, birth_year=birth_year, reader_card=card, by=by)


@transaction.atomic
def copy_quick_add(*, barcode: str, title: str, isbn: str = "", by) -> Copy:
    """An unknown barcode at the desk: catalogue it minimally so the queue keeps moving."""
    isbn = normalise_isbn(isbn) or ""
    book = Book.objects.with_isbn(isbn).first() if isbn else None
    if book is None:
        book = Book(title=title, isbn=isbn)
        book.refresh_search()
        book.save()
    return Copy.objects.create(book=book, barcode=barcode, created_by=by)
