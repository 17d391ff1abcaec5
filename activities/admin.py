from django.contrib import admin, messages
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from activities import services
from activities.forms import EventAdminForm
from activities.models import Event, Presenter, Registration, ReviewStep, Venue, WorkLog
from culturecenter.lib import search
from culturecenter.lib.admin import LabelledDateTimeAdmin, ReadOnlyAdmin
from culturecenter.lib.images import thumbnail


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ("name", "village", "in_center")
    list_filter = ("in_center", "village")
    search_fields = ("name",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"name", "village"} & set(form.changed_data):
            obj.events.refresh_search()  # the event list finds events by their venue


@admin.register(Presenter)
class PresenterAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "organisation", "vetting", "vetted_by", "vetted_at")
    list_filter = ("vetting", "kind")
    search_fields = ("name", "organisation")
    readonly_fields = ("vetted_by", "vetted_at")

    def get_readonly_fields(self, request, obj=None):
        if request.user.has_perm("activities.vet_presenter"):
            return self.readonly_fields
        return (*self.readonly_fields, "vetting", "vetting_notes")

    def save_model(self, request, obj, form, change):
        if "vetting" in form.changed_data:
            obj.vetted_by, obj.vetted_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)


class ReviewStepInline(admin.TabularInline):
    model = ReviewStep
    fields = ("at", "action", "actor", "opinion")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(LabelledDateTimeAdmin):
    form = EventAdminForm
    list_display = ("title", "category", "starts_at", "venue", "status", "places", "pages")
    list_filter = ("status", "category", "venue__village")
    search_fields = ("title", "description")
    date_hierarchy = "starts_at"
    # Duty staff are ticked from the few staff accounts (forms.DutyStaffField), not searched
    # among all logins: the User admin's search would need a permission staff do not have and list villagers.
    autocomplete_fields = ("venue", "presenters")
    ordering = ("-starts_at",)
    filter_horizontal = ("audiences",)
    readonly_fields = ("status", "created_by", "created_at", "cancel_reason", "closed_at", "pages")
    inlines = [ReviewStepInline]
    fieldsets = [
        (None, {"fields": ("title", "category", "description", "poster", "audiences")}),
        (_("When and where"), {"fields": ("starts_at", "ends_at", "venue")}),
        (
            _("Sign-up"),
            {"fields": ("signup_required", "capacity", "signup_opens_at", "signup_closes_at", "min_age", "max_age")},
        ),
        (_("People (审查把关 · 专人盯岗)"), {"fields": ("presenters", "duty_staff")}),
        (_("Review"), {"fields": ("status", "pages", "created_by", "created_at", "cancel_reason", "closed_at")}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("venue")
            .annotate(confirmed=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)))
        )

    @admin.display(description=_("places taken"))
    def places(self, event):
        return f"{event.confirmed}/{event.capacity}" if event.signup_required else "—"

    @admin.display(description=_("pages"))
    def pages(self, event):
        if not event.pk:
            return "—"
        links = [
            (reverse("activities:review", args=[event.pk]), _("Review")),
            (reverse("activities:registrants", args=[event.pk]), _("Registrants")),
            (reverse("activities:checkin", args=[event.pk]), _("Check-in")),
            (reverse("activities:work_log", args=[event.pk]), _("Work log")),
            (event.get_absolute_url(), _("Public page")),
        ]
        return format_html(" · ".join(['<a href="{}">{}</a>'] * len(links)), *[x for link in links for x in link])

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if "poster" in form.changed_data:
            obj.poster_thumbnail = thumbnail(obj.poster.file) if obj.poster else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        event = form.instance
        event.refresh_search()  # now that the audiences are saved
        event.save(update_fields=[search.TEXT, search.TOKENS])
        changed = [name for name in Event.CONTENT_FIELDS if name in form.changed_data]
        if change and changed and event.status == Event.Status.APPROVED:
            services.event_reopen_after_change(event=event, by=request.user, changed=changed)
            messages.warning(
                request, _("The content changed, so the event is back in review and hidden until approved.")
            )
        if change and "capacity" in form.changed_data:
            promoted = services.event_fill_from_waiting_list(event=event)
            if promoted:
                messages.info(request, _("%(count)s people moved up from the waiting list.") % {"count": len(promoted)})


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    """Places change only through sign-up, cancel and check-in, which keep the rules."""

    list_display = ("member", "event", "status", "queued_at", "checked_in_at", "no_show", "is_walk_in", "cancelled_by")
    list_filter = ("status", "no_show", "is_walk_in")
    search_fields = ("member__name", "member__mobile", "member__reader_card", "event__title")
    list_select_related = ("member", "event", "cancelled_by__member")


@admin.register(WorkLog)
class WorkLogAdmin(admin.ModelAdmin):
    list_display = ("event", "attendance", "written_by", "written_at")
    search_fields = ("event__title", "summary")
    readonly_fields = ("event", "attendance", "written_by", "written_at")
    list_select_related = ("event", "written_by")


from activities import admin_teams  # noqa: E402, F401  (teams and courses)
