import base64
import io
from datetime import timedelta

import barcode
from barcode.writer import SVGWriter
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from culturecenter.forms import PersonWithoutLoginForm
from culturecenter.lib import search
from culturecenter.lib.params import as_id
from culturecenter.lib.privacy import contact_text, may_see_personal_data
from culturecenter.models import Member
from lending import services
from lending.forms import CatalogueSearchForm, HoldForm, QuickAddForm, ScanForm
from lending.isbn import normalise_isbn
from lending.models import Book, Copy, Hold, Loan, LoanRules

PAGE_SIZE = 20
MAX_RESULTS = 500  # counted for a search; beyond, the page asks for another word


def catalogue(request):
    form = CatalogueSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    books = Book.objects.with_availability().defer("description", search.TEXT, search.TOKENS).order_by("title", "pk")
    if data.get("q"):
        books = books.search(data["q"])
    if data.get("cls"):
        books = books.filter(class_letter=data["cls"])
    if data.get("available"):
        books = books.filter(Exists(Copy.objects.filter(book=OuterRef("pk"), status=Copy.Status.ON_SHELF)))
    paginator = (
        search.CappedPaginator(books, PAGE_SIZE, cap=MAX_RESULTS) if data.get("q") else Paginator(books, PAGE_SIZE)
    )
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "lending/catalogue.html", {"form": form, "page": page})


def book_detail(request, pk):
    book = get_object_or_404(Book.objects.with_availability(), pk=pk)
    copies = book.copies.exclude(status=Copy.Status.WITHDRAWN).prefetch_related(
        Prefetch("loans", queryset=Loan.objects.open(), to_attr="open_loans")
    )
    holds, form = [], None
    if request.user.is_authenticated and hasattr(request.user, "member"):
        holds = list(Hold.objects.for_household_of(request.user).active().filter(book=book).select_related("member"))
        people = Member.objects.managed_by(request.user).present()
        form = HoldForm(people=people.exclude(pk__in=[hold.member_id for hold in holds]))
    context = {
        "book": book,
        "copies": copies,
        "holds": holds,
        "hold_form": form,
        "queue": book.holds.filter(status=Hold.Status.WAITING).count(),
    }
    return render(request, "lending/book_detail.html", context)


@login_required
@require_POST
def hold_place(request, pk):
    book = get_object_or_404(Book, pk=pk)
    form = HoldForm(request.POST, people=Member.objects.managed_by(request.user))
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["member"]))
        return redirect(book)
    try:
        hold = services.hold_place(book=book, member=form.cleaned_data["member"], by=request.user)
    except services.LendingError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Hold placed for %(reader)s. You will be told when a copy is waiting at the desk.")
            % {"reader": hold.member.name},
        )
    return redirect(book)


def confirm_page(request, *, title, lines, action_label, keep_label, back, danger=True):
    """The one question before an action that cannot be undone: GET asks, the form POSTs back here."""
    context = {
        "title": title,
        "lines": lines,
        "action_label": action_label,
        "keep_label": keep_label,
        "back": back,
        "danger": danger,
    }
    return render(request, "lending/confirm.html", context)


@login_required
def hold_cancel(request, pk):
    hold = get_object_or_404(Hold.objects.for_household_of(request.user).select_related("book", "member"), pk=pk)
    from_book = request.GET.get("next", request.POST.get("next")) == "book"
    back = hold.book.get_absolute_url() if from_book else reverse("me")
    if request.method != "POST":
        lines = [
            _("%(reader)s will no longer wait for “%(title)s”.")
            % {"reader": hold.member.name, "title": hold.book.title}
        ]
        if hold.status == Hold.Status.READY:
            lines.append(_("The copy kept at the desk goes to the next reader in line."))
        else:
            lines.append(_("The place in the queue is lost; a new hold joins at the end."))
        return confirm_page(
            request,
            title=_("Cancel the hold on “%(title)s”?") % {"title": hold.book.title},
            lines=lines,
            action_label=_("Yes, cancel the hold"),
            keep_label=_("Keep the hold"),
            back=back,
        )
    try:
        services.hold_cancel(hold=hold, by=request.user)
    except services.LendingError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The hold on “%(title)s” is cancelled.") % {"title": hold.book.title})
    return redirect(back)


EARLY_RENEWAL_DAYS = 7


@login_required
def loan_renew(request, pk):
    loan = get_object_or_404(Loan.objects.for_household_of(request.user).select_related("copy__book", "member"), pk=pk)
    if request.method != "POST":
        rules = LoanRules.current()
        problem = services.renewal_problem(loan, rules, online=True)
        if problem:
            messages.error(request, problem)
            return redirect("me")
        days_left = (loan.due_date - timezone.localdate()).days
        new_due = services.renewed_due_date(loan, rules)
        lines = [
            _("Due now: %(date)s (in %(days)s days).")
            % {"date": loan.due_date.strftime("%Y-%m-%d"), "days": days_left},
            _("Due date after renewal: %(date)s.") % {"date": new_due.strftime("%Y-%m-%d")},
        ]
        left = rules.max_renewals - loan.renewals
        if left == 1:
            lines.append(_("A book can be renewed only once: after this, it cannot be renewed again."))
        if days_left > EARLY_RENEWAL_DAYS:
            lines.append(
                _("It is early: renewing now adds only %(now)s days; renewed on the due date, it would add %(days)s.")
                % {"now": (new_due - loan.due_date).days, "days": rules.loan_days}
            )
        return confirm_page(
            request,
            title=_("Renew “%(title)s” for %(reader)s?") % {"title": loan.copy.book.title, "reader": loan.member.name},
            lines=lines,
            action_label=_("Yes, renew until %(date)s") % {"date": new_due.strftime("%Y-%m-%d")},
            keep_label=_("Not now"),
            back=reverse("me"),
            danger=False,
        )
    try:
        loan = services.loan_renew(loan=loan, by=request.user, online=True)
    except services.LendingError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("“%(title)s” is renewed until %(due)s.")
            % {"title": loan.copy.book.title, "due": loan.due_date.strftime("%Y-%m-%d")},
        )
    return redirect("me")


# ---------------------------------------------------------------- the desk

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


def _repeated_scan(request, code, reader, mode) -> bool:
    """True if this desk scanned this copy for the same reader and mode a moment ago."""
    now = timezone.now().timestamp()
    scan = {"code": code, "reader": reader.pk if reader else None, "mode": mode}
    last = request.session.get(DESK_LAST_BOOK) or {}
    request.session[DESK_LAST_BOOK] = {**scan, "at": now}
    return {key: last.get(key) for key in scan} == scan and now - last.get("at", 0) < REPEAT_SCAN_SECONDS


def _desk_reader(request):
    reader_id = request.session.get(DESK_READER)
    return Member.objects.present().filter(pk=reader_id).first() if reader_id else None


def _open_reader(request, member):
    request.session[DESK_READER] = member.pk
    request.session.pop(DESK_MATCHES, None)


def _scan(request, raw):
    """One scan or typed line at the desk: a card, a copy, a book's ISBN, or a name to look up."""
    code = services.normalise_scan(raw)
    reader, mode = _desk_reader(request), request.session.get(DESK_MODE, "lend")
    for key in (DESK_OFFER, DESK_PENDING, DESK_BOOK):
        request.session.pop(key, None)
    if services.is_card(code):
        member = Member.objects.present().filter(reader_card=code).first()
        if member is None:
            request.session[DESK_PENDING] = {"kind": "card", "code": code}
            messages.warning(
                request, _("Card %(code)s is not issued yet: register the villager below.") % {"code": code}
            )
        else:
            _open_reader(request, member)
        return
    if services.is_book(code):
        if not Copy.objects.filter(barcode=code).exists():
            request.session[DESK_PENDING] = {"kind": "book", "code": code}
            messages.warning(request, _("Book %(code)s is not in the catalogue: add it below.") % {"code": code})
        elif _repeated_scan(request, code, reader, mode):
            title = Copy.objects.filter(barcode=code).values_list("book__title", flat=True).first()
            messages.info(
                request,
                _("“%(title)s” (%(code)s) was just scanned; this second scan is ignored.")
                % {"title": title, "code": code},
            )
        elif mode == "return":
            _return(request, code)
        elif reader is None:
            messages.error(request, _("Scan the reader's card first, or switch to return mode (F2)."))
        else:
            _lend(request, code, reader)
        return
    # The EAN barcode printed on the book itself: show the book and where its copies are.
    isbn = normalise_isbn(code)
    book = Book.objects.with_isbn(isbn).order_by("pk").first() if isbn else None
    if book:
        request.session[DESK_BOOK] = book.pk
        return
    matches = list(services.readers_matching(raw))
    if len(matches) == 1:
        _open_reader(request, matches[0])
    elif matches:
        request.session[DESK_MATCHES] = [member.pk for member in matches]
    elif isbn:
        messages.error(
            request,
            _("No book in the catalogue has the ISBN %(isbn)s. Scan the barcode label of the copy to add it.")
            % {"isbn": isbn},
        )
    else:
        messages.error(request, _("No reader, card or book matches “%(text)s”.") % {"text": raw.strip()[:40]})


def _lend(request, code, reader):
    try:
        loan, renewed = services.loan_checkout(barcode=code, member=reader, by=request.user)
    except services.LentElsewhere as error:
        request.session[DESK_OFFER] = code
        messages.warning(request, error.messages[0])
    except services.LendingError as error:
        messages.error(request, error.messages[0])
    else:
        text = _("Renewed “%(title)s” until %(due)s.") if renewed else _("Lent “%(title)s”, due %(due)s.")
        messages.success(request, text % {"title": loan.copy.book.title, "due": loan.due_date.strftime("%Y-%m-%d")})


def _return(request, code):
    try:
        result = services.loan_return(barcode=code, by=request.user)
    except services.LendingError as error:
        messages.error(request, error.messages[0])
        return
    who = result.loan.member.name if result.loan else "—"
    text = _("Returned “%(title)s” from %(reader)s.") % {"title": result.copy.book.title, "reader": who}
    if result.kept_for:
        text += " " + _("Kept for %(reader)s · put it on the hold shelf.") % {"reader": result.kept_for.member.name}
        messages.warning(request, text)
    else:
        messages.success(request, text)


@login_required
@permission_required("lending.use_desk", raise_exception=True)
def desk(request):
    if request.method == "POST":
        action = request.POST.get("action", "scan")
        if action == "scan":
            form = ScanForm(request.POST)
            if form.is_valid():
                _scan(request, form.cleaned_data["code"])
        elif action == "mode":
            request.session[DESK_MODE] = "return" if request.session.get(DESK_MODE) != "return" else "lend"
        elif action == "close":
            for key in (DESK_READER, DESK_PENDING, DESK_OFFER, DESK_MATCHES, DESK_BOOK):
                request.session.pop(key, None)
        elif action == "pick":
            matches = request.session.get(DESK_MATCHES, [])
            member = Member.objects.filter(pk__in=matches).filter(pk=as_id(request.POST.get("member"))).first()
            if member:
                _open_reader(request, member)
        elif action == "return_then_lend":
            code = request.session.pop(DESK_OFFER, None)
            reader = _desk_reader(request)
            if code and reader:
                _return(request, code)
                _lend(request, code, reader)
        elif action in ("quick_add", "register"):
            return _desk_pending_form(request, action)
        return redirect("lending:desk")
    return _desk_page(request)


def _desk_pending_form(request, action):
    pending = request.session.get(DESK_PENDING) or {}
    if action == "quick_add" and pending.get("kind") == "book":
        form = QuickAddForm(request.POST)
        if form.is_valid():
            copy = services.copy_quick_add(barcode=pending["code"], by=request.user, **form.cleaned_data)
            request.session.pop(DESK_PENDING, None)
            messages.success(
                request, _("Added “%(title)s” as %(code)s.") % {"title": copy.book.title, "code": copy.barcode}
            )
            reader = _desk_reader(request)
            if reader and request.session.get(DESK_MODE, "lend") == "lend":
                _lend(request, copy.barcode, reader)
            return redirect("lending:desk")
        return _desk_page(request, quick_add_form=form)
    if action == "register" and pending.get("kind") == "card":
        form = PersonWithoutLoginForm(request.POST)
        if form.is_valid():
            try:
                member = services.reader_register(card=pending["code"], by=request.user, **form.cleaned_data)
            except services.LendingError as error:
                messages.error(request, error.messages[0])
            else:
                request.session.pop(DESK_PENDING, None)
                _open_reader(request, member)
                messages.success(
                    request,
                    _("Card %(card)s issued to %(reader)s.") % {"card": member.reader_card, "reader": member.name},
                )
            return redirect("lending:desk")
        return _desk_page(request, register_form=form)
    return redirect("lending:desk")


def _desk_page(request, quick_add_form=None, register_form=None):
    reader = _desk_reader(request)
    rules = LoanRules.current()
    loans = holds = []
    if reader:
        loans = list(reader.loans.open().select_related("copy__book").order_by("due_date"))
        holds = list(reader.holds.active().select_related("book", "copy"))
    pending = request.session.get(DESK_PENDING)
    book = (
        Book.objects.filter(pk=request.session[DESK_BOOK])
        .prefetch_related(
            Prefetch(
                "copies",
                queryset=Copy.objects.prefetch_related(
                    Prefetch("loans", queryset=Loan.objects.open().select_related("member"), to_attr="open_loans")
                ),
            )
        )
        .first()
        if request.session.get(DESK_BOOK)
        else None
    )
    context = {
        "book": book,
        "form": ScanForm(),
        "mode": request.session.get(DESK_MODE, "lend"),
        "reader": reader,
        "loans": loans,
        "holds": holds,
        "rules": rules,
        "today": timezone.localdate(),
        "pending": pending,
        "offer": request.session.get(DESK_OFFER),
        "matches": Member.objects.filter(pk__in=request.session.get(DESK_MATCHES, [])).order_by("name"),
        "quick_add_form": quick_add_form or (QuickAddForm() if pending and pending["kind"] == "book" else None),
        "register_form": register_form or (PersonWithoutLoginForm() if pending and pending["kind"] == "card" else None),
    }
    return render(request, "lending/desk.html", context)


@login_required
@permission_required("lending.use_desk", raise_exception=True)
def desk_lists(request):
    today = timezone.localdate()
    overdue = (
        Loan.objects.overdue(today)
        .select_related("member__household", "copy__book")
        .prefetch_related("member__household__members")
        .order_by("due_date", "pk")
    )
    full = may_see_personal_data(request.user)
    context = {
        "overdue": [(loan, contact_text(loan.member, full=full)) for loan in overdue],  # whom to phone
        "to_pull": Hold.objects.filter(status=Hold.Status.WAITING)
        .filter(Exists(Copy.objects.filter(book=OuterRef("book"), status=Copy.Status.ON_SHELF)))
        .select_related("member", "book")
        .prefetch_related(Prefetch("book__copies", queryset=Copy.objects.filter(status=Copy.Status.ON_SHELF)))
        .order_by("placed_at"),
        "ready": Hold.objects.filter(status=Hold.Status.READY)
        .select_related("member", "book", "copy")
        .order_by("expires_on"),
        "soon": today + timedelta(days=2),
        "today": today,
    }
    return render(request, "lending/desk_lists.html", context)


def _code128(text: str) -> str:
    """A Code 128 barcode as an SVG data URI for an <img>."""
    out = io.BytesIO()
    barcode.get("code128", text, writer=SVGWriter()).write(
        out, options={"module_width": 0.3, "module_height": 10, "font_size": 0, "text_distance": 1, "quiet_zone": 3}
    )
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


LABELS_PER_PAGE = 100  # a few sheets of labels; drawing every barcode takes a moment


@login_required
@permission_required("lending.use_desk", raise_exception=True)
def labels(request):
    """Printable barcode labels for the copies or reader cards added on a day, a hundred a page."""
    day = parse_date(request.GET.get("date", "")) or timezone.localdate()
    kind = "cards" if request.GET.get("kind") == "cards" else "copies"
    if kind == "cards":
        items = Member.objects.filter(created_at__date=day, reader_card__isnull=False).order_by("reader_card")
        page = Paginator(items, LABELS_PER_PAGE).get_page(request.GET.get("page"))
        rows = [(m.reader_card, m.name) for m in page]
    else:
        items = Copy.objects.filter(created_at__date=day).select_related("book").order_by("barcode")
        page = Paginator(items, LABELS_PER_PAGE).get_page(request.GET.get("page"))
        rows = [(c.barcode, c.book.title) for c in page]
    context = {
        "labels": [(code, text, _code128(code)) for code, text in rows],
        "page": page,
        "day": day,
        "kind": kind,
    }
    return render(request, "lending/labels.html", context)
