from django.contrib import admin, messages
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from activities import services
from activities.forms import EventAdminForm, VenueAdminForm
from activities.models import (
    Article,
    ArticlePhoto,
    ArticleStep,
    Booking,
    BookingSeries,
    BookingStep,
    Event,
    HostedRecord,
    Occupancy,
    Presenter,
    Registration,
    ReviewStep,
    Venue,
    WorkLog,
)
from activities.room_forms import BookingAdminForm
from culturecenter.lib import search
from culturecenter.lib.admin import LabelledDateTimeAdmin, ReadOnlyAdmin, ReadOnlyInline
from culturecenter.lib.images import thumbnail
from culturecenter.models import User


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    form = VenueAdminForm
    list_display = ("name", "kind", "capacity", "village", "is_bookable")
    list_filter = ("kind", "in_center", "village")
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


class ReviewStepInline(ReadOnlyInline):
    model = ReviewStep
    fields = ("at", "action", "actor", "opinion")


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
    filter_horizontal = ("audiences", "resources")
    readonly_fields = ("status", "created_by", "created_at", "cancel_reason", "closed_at", "pages")
    inlines = [ReviewStepInline]
    fieldsets = [
        (None, {"fields": ("title", "category", "description", "poster", "audiences")}),
        (
            _("When and where"),
            {"fields": ("starts_at", "ends_at", "venue", "setup_minutes", "cleanup_minutes", "resources")},
        ),
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
        if change and event.status in services.HOLDS_ROOM:
            services.event_occupancy_sync(event=event, by=request.user)  # the form checked the room
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


class BookingStepInline(ReadOnlyInline):
    model = BookingStep
    fields = ("at", "action", "actor", "note")


@admin.register(Booking)
class BookingAdmin(LabelledDateTimeAdmin):
    """Bookings edited here keep the calendar's rules (BookingAdminForm) and hold their room."""

    form = BookingAdminForm
    list_display = ("title", "venue", "starts_at", "ends_at", "purpose", "organiser", "status")
    list_filter = ("status", "purpose", "venue")
    search_fields = ("title", "organiser")
    date_hierarchy = "starts_at"
    list_select_related = ("venue",)
    filter_horizontal = ("resources",)
    readonly_fields = ("series", "checked_in_at", "created_by", "created_at")
    inlines = [BookingStepInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "contact":  # a member's login; staff need no access to the User admin
            kwargs["queryset"] = User.objects.filter(member__isnull=False).select_related("member")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False  # cancel instead: the steps stay

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.booking_occupancy_sync(booking=form.instance, by=request.user, created=not change)


@admin.register(BookingSeries)
class BookingSeriesAdmin(ReadOnlyAdmin):
    list_display = ("title", "venue", "weekday", "starts_time", "ends_time", "first_date", "last_date")
    list_select_related = ("venue",)


@admin.register(Occupancy)
class OccupancyAdmin(ReadOnlyAdmin):
    """The calendar itself: claims change only through events, bookings and sessions."""

    list_display = ("title", "venue", "kind", "starts_at", "ends_at", "blocked_from", "blocked_until", "is_public")
    list_filter = ("kind", "venue")
    date_hierarchy = "starts_at"
    list_select_related = ("venue",)


@admin.register(HostedRecord)
class HostedRecordAdmin(ReadOnlyAdmin):
    list_display = ("booking", "attendance", "written_by", "written_at")
    list_select_related = ("booking", "written_by")


class ArticlePhotoInline(admin.TabularInline):
    model = ArticlePhoto
    fields = ("image", "caption", "shows_minors", "consent_recorded", "order")
    extra = 1


class ArticleStepInline(ReadOnlyInline):
    model = ArticleStep
    fields = ("at", "action", "actor", "opinion")


@admin.register(Article)
class ArticleAdmin(LabelledDateTimeAdmin):
    list_display = ("title", "status", "publish_at", "published_at", "expires_at", "pages")
    list_filter = ("status",)
    search_fields = ("title", "summary", "body")
    filter_horizontal = ("events",)
    readonly_fields = ("status", "published_at", "created_by", "created_at", "withdrawn_reason", "pages")
    inlines = [ArticlePhotoInline, ArticleStepInline]
    fieldsets = [
        (None, {"fields": ("title", "slug", "summary", "body", "events")}),
        (_("Publishing"), {"fields": ("publish_at", "expires_at")}),
        (_("Review"), {"fields": ("status", "pages", "created_by", "created_at", "published_at", "withdrawn_reason")}),
    ]

    @admin.display(description=_("pages"))
    def pages(self, article):
        if not article.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("news:review", args=[article.pk]),
            _("Review"),
            article.get_absolute_url(),
            _("Public page"),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = Article.objects.get(pk=form.instance.pk)
        if change and services.article_reopen_after_change(article=article, by=request.user):
            messages.warning(
                request, _("The text changed after approval, so the article is back in review and off the news.")
            )


# The areas with admins of their own register them on import.
from activities import admin_teams, admin_volunteers  # noqa: E402,F401
