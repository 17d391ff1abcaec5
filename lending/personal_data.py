"""What the library adds to “Download my data”: loans, holds, campaigns and reading logs."""

from django.utils.translation import gettext_lazy as _

from culturecenter.lib.personal_data import DataSection, label, register, yes_no
from lending.models import Book, CheckIn, Copy, Enrolment, Hold, Loan


def _loans(people):
    loans = Loan.objects.filter(member__in=people).select_related("member", "copy__book").order_by("-loaned_at", "-pk")
    for loan in loans:
        yield {
            "member": loan.member.name,
            "title": loan.copy.book.title,
            "author": loan.copy.book.author,
            "barcode": loan.copy.barcode,
            "loaned_at": loan.loaned_at,
            "due_date": loan.due_date,
            "renewals": loan.renewals,
            "returned_at": loan.returned_at,
        }


def _holds(people):
    holds = Hold.objects.filter(member__in=people).select_related("member", "book").order_by("-placed_at", "-pk")
    for hold in holds:
        yield {
            "member": hold.member.name,
            "title": hold.book.title,
            "status": hold.get_status_display(),
            "placed_at": hold.placed_at,
            "ready_at": hold.ready_at,
            "expires_on": hold.expires_on,
            "closed_at": hold.closed_at,
        }


def _enrolments(people):
    enrolments = Enrolment.objects.filter(member__in=people).select_related("member", "campaign").order_by("-pk")
    for enrolment in enrolments:
        yield {
            "member": enrolment.member.name,
            "campaign": enrolment.campaign.title,
            "enrolled_at": enrolment.enrolled_at,
            "withdrawn_at": enrolment.withdrawn_at,
        }


def _checkins(people):
    checkins = CheckIn.objects.filter(member__in=people).select_related("member", "campaign").order_by("-day", "-pk")
    for checkin in checkins:
        yield {
            "member": checkin.member.name,
            "campaign": checkin.campaign.title,
            "day": checkin.day,
            "source": checkin.get_source_display(),
            "book_title": checkin.book_title,
            "minutes": checkin.minutes,
            "reflection": checkin.reflection,
            "photo": checkin.photo.name if checkin.photo else "",
            "share": yes_no(checkin.share),
            "moderation": checkin.get_moderation_display(),
        }


def register_sections():
    register(
        DataSection(
            key="loans",
            title=_("Loans"),
            columns=[
                ("member", label(Loan, "member")),
                ("title", label(Book, "title")),
                ("author", label(Book, "author")),
                ("barcode", label(Copy, "barcode")),
                ("loaned_at", label(Loan, "loaned_at")),
                ("due_date", label(Loan, "due_date")),
                ("renewals", label(Loan, "renewals")),
                ("returned_at", label(Loan, "returned_at")),
            ],
            rows=_loans,
        )
    )
    register(
        DataSection(
            key="holds",
            title=_("Holds"),
            columns=[
                ("member", label(Hold, "member")),
                ("title", label(Book, "title")),
                ("status", label(Hold, "status")),
                ("placed_at", label(Hold, "placed_at")),
                ("ready_at", label(Hold, "ready_at")),
                ("expires_on", label(Hold, "expires_on")),
                ("closed_at", label(Hold, "closed_at")),
            ],
            rows=_holds,
        )
    )
    register(
        DataSection(
            key="campaign_enrolments",
            title=_("Reading campaigns"),
            columns=[
                ("member", label(Enrolment, "member")),
                ("campaign", label(Enrolment, "campaign")),
                ("enrolled_at", label(Enrolment, "enrolled_at")),
                ("withdrawn_at", label(Enrolment, "withdrawn_at")),
            ],
            rows=_enrolments,
        )
    )
    register(
        DataSection(
            key="campaign_checkins",
            title=_("Reading check-ins and reflections"),
            columns=[
                ("member", label(CheckIn, "member")),
                ("campaign", label(CheckIn, "campaign")),
                ("day", label(CheckIn, "day")),
                ("source", label(CheckIn, "source")),
                ("book_title", label(CheckIn, "book_title")),
                ("minutes", label(CheckIn, "minutes")),
                ("reflection", label(CheckIn, "reflection")),
                ("photo", label(CheckIn, "photo")),
                ("share", label(CheckIn, "share")),
                ("moderation", label(CheckIn, "moderation")),
            ],
            rows=_checkins,
        )
    )
