from django.contrib import admin, messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from culturecenter.lib.admin import ReadOnlyAdmin, ReadOnlyInline
from lending import catalogue_import
from lending.forms import BookAdminForm, ImportForm
from lending.models import Book, Campaign, CheckIn, Copy, Enrolment, Hold, Loan, LoanRules

IMPORT_SESSION_KEY = "catalogue_import_text"


class CopyInline(admin.TabularInline):
    model = Copy
    fields = ("barcode", "status", "shelf")
    extra = 1


class HoldInline(ReadOnlyInline):
    """The book's queue and what became of each hold: who cancelled it and when."""

    model = Hold
    fields = ("member", "status", "placed_at", "placed_by", "expires_on", "closed_at", "cancelled_by")
    ordering = ("-placed_at", "-pk")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member", "placed_by__member", "cancelled_by__member")

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Book)
class BookAdmin(admin.ModelAdmin):
    form = BookAdminForm
    list_display = ("title", "author", "isbn", "class_letter", "year")
    list_filter = ("class_letter",)
    search_fields = ("title", "author", "isbn", "keywords", "copies__barcode")
    inlines = [CopyInline, HoldInline]

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            if formset.model is Copy and inline_form.instance.pk is None:
                inline_form.instance.created_by = request.user
        super().save_formset(request, form, formset, change)

    change_list_template = "admin/lending/book/change_list.html"

    def save_model(self, request, obj, form, change):
        obj.refresh_search()
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="lending_book_import"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Upload → preview with a per-row report → confirm."""
        if not request.user.has_perm("lending.add_book"):
            return redirect("admin:index")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import the catalogue from CSV"),
            "opts": self.model._meta,
        }
        if request.method == "POST" and "confirm" in request.POST:
            text = request.session.pop(IMPORT_SESSION_KEY, None)
            if text is None:
                messages.error(request, _("The upload has expired; please upload the file again."))
                return redirect("admin:lending_book_import")
            rows = catalogue_import.parse(text)
            books, copies = catalogue_import.import_rows(rows)
            skipped = sum(1 for row in rows if row.errors)
            messages.success(
                request,
                _("Imported: %(books)s new books, %(copies)s new copies; %(skipped)s rows skipped.")
                % {"books": books, "copies": copies, "skipped": skipped},
            )
            return redirect(reverse("lending:labels"))
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            rows = catalogue_import.parse(form.cleaned_data["file"])
            request.session[IMPORT_SESSION_KEY] = form.cleaned_data["file"]
            context.update(rows=rows, good=sum(1 for r in rows if not r.errors), bad=[r for r in rows if r.errors])
        context["form"] = form
        return render(request, "admin/lending/book/import.html", context)


@admin.register(Copy)
class CopyAdmin(admin.ModelAdmin):
    list_display = ("barcode", "book", "status", "shelf")
    readonly_fields = ("created_at", "created_by")
    list_filter = ("status",)
    search_fields = ("barcode", "book__title")
    list_select_related = ("book",)
    autocomplete_fields = ("book",)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(LoanRules)
class LoanRulesAdmin(admin.ModelAdmin):
    list_display = ("__str__", "loan_days", "max_renewals", "max_loans", "max_holds", "hold_pickup_days")

    def has_add_permission(self, request):
        return not LoanRules.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        return redirect("admin:lending_loanrules_change", LoanRules.current().pk)


@admin.register(Loan)
class LoanAdmin(ReadOnlyAdmin):
    list_display = ("copy", "member", "loaned_at", "due_date", "renewals", "returned_at", "overdue")
    list_filter = ("returned_at",)
    search_fields = ("copy__barcode", "copy__book__title", "member__name", "member__reader_card")
    list_select_related = ("copy__book", "member")
    date_hierarchy = "loaned_at"

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, loan):
        return loan.is_overdue


@admin.register(Hold)
class HoldAdmin(ReadOnlyAdmin):
    list_display = ("book", "member", "status", "placed_at", "expires_on", "closed_at", "cancelled_by")
    list_filter = ("status",)
    search_fields = ("book__title", "member__name")
    list_select_related = ("book", "member", "cancelled_by__member")


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("title", "starts_on", "ends_on", "goal_days", "pages")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("pages",)

    @admin.display(description=_("pages"))
    def pages(self, campaign):
        if not campaign.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            campaign.get_absolute_url(),
            _("Public page"),
            reverse("lending:campaign_moderation", args=[campaign.slug]),
            _("Moderate reflections"),
            reverse("lending:campaign_statistics", args=[campaign.slug]),
            _("Statistics"),
        )


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    list_display = ("member", "campaign", "enrolled_at", "withdrawn_at", "withdrawn_by")
    list_filter = ("campaign",)
    search_fields = ("member__name",)
    list_select_related = ("member", "campaign", "withdrawn_by__member")


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdmin):
    list_display = ("member", "campaign", "day", "counted", "source", "minutes", "book_title", "moderation")
    list_filter = ("campaign", "source", "moderation", "counted")
    search_fields = ("member__name", "book_title")
    list_select_related = ("member", "campaign")
    date_hierarchy = "day"
