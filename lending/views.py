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

from culturecenter.lib import search
from culturecenter.lib.pagecache import cache_public_page
from culturecenter.lib.privacy import contact_text, may_see_personal_data
from culturecenter.models import Member
from lending import services
from lending.desk import Desk
from lending.forms import CatalogueSearchForm, HoldForm, ScanForm
from lending.models import Book, Copy, Hold, Loan, LoanRules

PAGE_SIZE = 20
MAX_RESULTS = 500  # counted for a search; beyond, the page asks for another word


# Searches are the same for every visitor; a loan or return anywhere (a POST) starts afresh.
@cache_public_page(params=[*CatalogueSearchForm.base_fields, "page"])
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


@login_required
@permission_required("lending.use_desk", raise_exception=True)
def desk(request):
    desk = Desk(request)
    if request.method != "POST":
        return render(request, "lending/desk.html", desk.context())
    action = request.POST.get("action", "scan")
    if action == "scan":
        form = ScanForm(request.POST)
        if form.is_valid():
            desk.scan(form.cleaned_data["code"])
    elif action == "mode":
        desk.toggle_mode()
    elif action == "close":
        desk.close()
    elif action == "pick":
        desk.pick(request.POST.get("member"))
    elif action == "return_then_lend":
        desk.return_then_lend()
    elif action == "quick_add" and (form := desk.quick_add(request.POST)):
        return render(request, "lending/desk.html", desk.context(quick_add_form=form))
    elif action == "register" and (form := desk.register(request.POST)):
        return render(request, "lending/desk.html", desk.context(register_form=form))
    if request.headers.get("X-Requested-With") == "fetch":
        # desk.js posts scans in the background: the answer and the panels, not a redirect and a
        # whole page, so that a stack of books goes through at the speed of the scanner.
        return render(request, "lending/_desk_answer.html", desk.context())
    return redirect("lending:desk")


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
