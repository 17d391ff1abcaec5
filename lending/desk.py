"""The circulation desk: what one librarian's desk remembers between scans, kept in the
session, and what each scan or button does to it. The view only dispatches to a `Desk`."""

from django.contrib import messages
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from culturecenter.forms import PersonWithoutLoginForm
from culturecenter.lib.params import as_id
from culturecenter.models import Member
from lending import services
from lending.forms import QuickAddForm, ScanForm
from lending.isbn import normalise_isbn
from lending.models import Book, Copy, Loan, LoanRules

# Session keys. The reader open at the desk, lend or return mode, the unknown card or book
# waiting to be registered, the copy lent elsewhere that may be returned first, the readers
# a name matched, the last copy scanned (against a double beep), the book an ISBN showed.
DESK_READER, DESK_MODE, DESK_PENDING, DESK_OFFER, DESK_MATCHES, DESK_LAST_BOOK, DESK_BOOK = (
    "desk_reader",
    "desk_mode",
    "desk_pending",
    "desk_offer",
    "desk_matches",
    "desk_last_book",
    "desk_book",
)
# A scanner that beeps twice sends the same barcode again within a moment; that is not a renewal.
REPEAT_SCAN_SECONDS = 5


class Desk:
    """One librarian's desk over their session; its answers are flash messages."""

    def __init__(self, request):
        self.request, self.session, self.by = request, request.session, request.user

    # ------------------------------------------------------------ state

    @property
    def mode(self) -> str:
        return self.session.get(DESK_MODE, "lend")

    @cached_property
    def reader(self) -> Member | None:
        reader_id = self.session.get(DESK_READER)
        return Member.objects.present().filter(pk=reader_id).first() if reader_id else None

    @property
    def pending(self) -> dict:
        return self.session.get(DESK_PENDING) or {}

    def _open(self, member: Member) -> None:
        self.session[DESK_READER] = member.pk
        self.session.pop(DESK_MATCHES, None)
        self.reader = member

    def _forget(self, *keys) -> None:
        for key in keys:
            self.session.pop(key, None)

    def _say(self, level, text) -> None:
        messages.add_message(self.request, level, text)

    # ------------------------------------------------------------ actions

    def toggle_mode(self) -> None:
        self.session[DESK_MODE] = "lend" if self.mode == "return" else "return"

    def close(self) -> None:
        """The next reader: forget everything about the last one."""
        self._forget(DESK_READER, DESK_PENDING, DESK_OFFER, DESK_MATCHES, DESK_BOOK)

    def pick(self, member_id) -> None:
        """Open one of the readers a name matched."""
        matches = self.session.get(DESK_MATCHES, [])
        member = Member.objects.filter(pk__in=matches).filter(pk=as_id(member_id)).first()
        if member:
            self._open(member)

    def scan(self, raw: str) -> None:
        """One scan or typed line: a card, a copy, a book's ISBN, or a name to look up."""
        code = services.normalise_scan(raw)
        self._forget(DESK_OFFER, DESK_PENDING, DESK_BOOK)
        if services.is_card(code):
            self._scan_card(code)
        elif services.is_book(code):
            self._scan_copy(code)
        else:
            self._look_up(raw, code)

    def _scan_card(self, code: str) -> None:
        member = Member.objects.present().filter(reader_card=code).first()
        if member:
            self._open(member)
            return
        self.session[DESK_PENDING] = {"kind": "card", "code": code}
        self._say(messages.WARNING, _("Card %(code)s is not issued yet: register the villager below.") % {"code": code})

    def _scan_copy(self, code: str) -> None:
        if not Copy.objects.filter(barcode=code).exists():
            self.session[DESK_PENDING] = {"kind": "book", "code": code}
            self._say(messages.WARNING, _("Book %(code)s is not in the catalogue: add it below.") % {"code": code})
        elif self._repeated(code):
            title = Copy.objects.filter(barcode=code).values_list("book__title", flat=True).first()
            self._say(
                messages.INFO,
                _("“%(title)s” (%(code)s) was just scanned; this second scan is ignored.")
                % {"title": title, "code": code},
            )
        elif self.mode == "return":
            self.take_back(code)
        elif self.reader is None:
            self._say(messages.ERROR, _("Scan the reader's card first, or switch to return mode (F2)."))
        else:
            self.lend(code)

    def _repeated(self, code: str) -> bool:
        """True if this desk scanned this copy for the same reader and mode a moment ago."""
        now = timezone.now().timestamp()
        scan = {"code": code, "reader": self.reader.pk if self.reader else None, "mode": self.mode}
        last = self.session.get(DESK_LAST_BOOK) or {}
        self.session[DESK_LAST_BOOK] = {**scan, "at": now}
        return {key: last.get(key) for key in scan} == scan and now - last.get("at", 0) < REPEAT_SCAN_SECONDS

    def _look_up(self, raw: str, code: str) -> None:
        # The EAN barcode printed on the book itself: show the book and where its copies are.
        isbn = normalise_isbn(code)
        book = Book.objects.with_isbn(isbn).order_by("pk").first() if isbn else None
        if book:
            self.session[DESK_BOOK] = book.pk
            return
        matches = list(services.readers_matching(raw))
        if len(matches) == 1:
            self._open(matches[0])
        elif matches:
            self.session[DESK_MATCHES] = [member.pk for member in matches]
        elif isbn:
            self._say(
                messages.ERROR,
                _("No book in the catalogue has the ISBN %(isbn)s. Scan the barcode label of the copy to add it.")
                % {"isbn": isbn},
            )
        else:
            self._say(messages.ERROR, _("No reader, card or book matches “%(text)s”.") % {"text": raw.strip()[:40]})

    def lend(self, code: str) -> None:
        """Lend the copy to the open reader (renew it if they have it already)."""
        try:
            loan, renewed = services.loan_checkout(barcode=code, member=self.reader, by=self.by)
        except services.LentElsewhere as error:
            self.session[DESK_OFFER] = code
            self._say(messages.WARNING, error.messages[0])
        except services.LendingError as error:
            self._say(messages.ERROR, error.messages[0])
        else:
            text = _("Renewed “%(title)s” until %(due)s.") if renewed else _("Lent “%(title)s”, due %(due)s.")
            due = loan.due_date.strftime("%Y-%m-%d")
            self._say(messages.SUCCESS, text % {"title": loan.copy.book.title, "due": due})

    def take_back(self, code: str) -> None:
        """Return the copy; one kept for a hold is said so, to put it on the hold shelf."""
        try:
            result = services.loan_return(barcode=code, by=self.by)
        except services.LendingError as error:
            self._say(messages.ERROR, error.messages[0])
            return
        who = result.loan.member.name if result.loan else "—"
        text = _("Returned “%(title)s” from %(reader)s.") % {"title": result.copy.book.title, "reader": who}
        if result.kept_for:
            text += " " + _("Kept for %(reader)s · put it on the hold shelf.") % {"reader": result.kept_for.member.name}
            self._say(messages.WARNING, text)
        else:
            self._say(messages.SUCCESS, text)

    def return_then_lend(self) -> None:
        """Accept the offer: the copy on loan to someone else comes back and goes to the open reader."""
        code = self.session.pop(DESK_OFFER, None)
        if code and self.reader:
            self.take_back(code)
            self.lend(code)

    def quick_add(self, data) -> QuickAddForm | None:
        """Catalogue the unknown copy just scanned (and lend it to the open reader in lend mode);
        the form is returned when it has errors, to be shown again."""
        if self.pending.get("kind") != "book":
            return None
        form = QuickAddForm(data)
        if not form.is_valid():
            return form
        copy = services.copy_quick_add(barcode=self.pending["code"], by=self.by, **form.cleaned_data)
        self._forget(DESK_PENDING)
        self._say(
            messages.SUCCESS, _("Added “%(title)s” as %(code)s.") % {"title": copy.book.title, "code": copy.barcode}
        )
        if self.reader and self.mode == "lend":
            self.lend(copy.barcode)
        return None

    def register(self, data) -> PersonWithoutLoginForm | None:
        """Issue the unknown card just scanned to a new reader and open them; the form is
        returned when it has errors, to be shown again."""
        if self.pending.get("kind") != "card":
            return None
        form = PersonWithoutLoginForm(data)
        if not form.is_valid():
            return form
        try:
            member = services.reader_register(card=self.pending["code"], by=self.by, **form.cleaned_data)
        except services.LendingError as error:
            self._say(messages.ERROR, error.messages[0])
            return None
        self._forget(DESK_PENDING)
        self._open(member)
        self._say(
            messages.SUCCESS,
            _("Card %(card)s issued to %(reader)s.") % {"card": member.reader_card, "reader": member.name},
        )
        return None

    # ------------------------------------------------------------ what the page shows

    def context(self, *, quick_add_form=None, register_form=None) -> dict:
        reader, pending = self.reader, self.session.get(DESK_PENDING)
        loans = holds = []
        if reader:
            loans = list(reader.loans.open().select_related("copy__book").order_by("due_date"))
            holds = list(reader.holds.active().select_related("book", "copy"))
        return {
            "book": self._book(),
            "form": ScanForm(),
            "mode": self.mode,
            "reader": reader,
            "loans": loans,
            "holds": holds,
            "rules": LoanRules.current(),
            "today": timezone.localdate(),
            "pending": pending,
            "offer": self.session.get(DESK_OFFER),
            "matches": Member.objects.filter(pk__in=self.session.get(DESK_MATCHES, [])).order_by("name"),
            "quick_add_form": quick_add_form or (QuickAddForm() if pending and pending["kind"] == "book" else None),
            "register_form": register_form
            or (PersonWithoutLoginForm() if pending and pending["kind"] == "card" else None),
        }

    def _book(self) -> Book | None:
        """The book an ISBN scan showed, with each copy's open loan and its reader."""
        if not self.session.get(DESK_BOOK):
            return None
        open_loans = Prefetch("loans", queryset=Loan.objects.open().select_related("member"), to_attr="open_loans")
        copies = Prefetch("copies", queryset=Copy.objects.prefetch_related(open_loans))
        return Book.objects.filter(pk=self.session[DESK_BOOK]).prefetch_related(copies).first()
