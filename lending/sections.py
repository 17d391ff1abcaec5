"""What the library adds to “My account”: the household's loans, holds and reading history."""

from datetime import timedelta

from django.utils import timezone

from lending.models import Campaign, Hold, Loan, LoanRules
from lending.services import renewal_problem


def account_loans(request):
    if not hasattr(request.user, "member"):
        return None
    rules = LoanRules.current()
    loans = list(
        Loan.objects.for_household_of(request.user).open().select_related("member", "copy__book").order_by("due_date")
    )
    waiting = set(
        Hold.objects.filter(book__in={loan.copy.book_id for loan in loans}, status=Hold.Status.WAITING).values_list(
            "book_id", "member_id"
        )
    )
    rows = []
    for loan in loans:
        others_waiting = any(book == loan.copy.book_id and member != loan.member_id for book, member in waiting)
        rows.append((loan, renewal_problem(loan, rules, online=True, others_waiting=others_waiting)))
    history = (
        Loan.objects.for_household_of(request.user)
        .filter(returned_at__isnull=False)
        .select_related("member", "copy__book")
        .order_by("-returned_at")[:20]
    )
    holds = Hold.objects.for_household_of(request.user).active().select_related("member", "book").order_by("placed_at")
    return {"loans": rows, "history": history, "holds": holds, "today": timezone.localdate()}


DUE_SOON_DAYS = 7


def account_due_soon(request):
    """Books of the household overdue or due within a week, for the summary atop “My account”."""
    if not hasattr(request.user, "member"):
        return None
    today = timezone.localdate()
    loans = list(
        Loan.objects.for_household_of(request.user)
        .open()
        .filter(due_date__lte=today + timedelta(days=DUE_SOON_DAYS))
        .select_related("member", "copy__book")
        .order_by("due_date", "pk")
    )
    return {"loans": loans, "today": today}


def home_campaign(request):
    """The reading campaign running now, for the home page."""
    today = timezone.localdate()
    campaign = Campaign.objects.filter(starts_on__lte=today, ends_on__gte=today).order_by("ends_on").first()
    return {"campaign": campaign} if campaign else None
