"""Admin of the volunteer area: staff make shifts with their roles here and record trainings
and commendations; sign-ups, hours and certificates change only through the services."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _

from activities import services
from activities.models import Certificate, HoursEntry, Recognition, Shift, ShiftRole, ShiftSignup, Volunteer
from culturecenter.lib.admin import LabelledDateTimeAdmin, ReadOnlyAdmin


class ShiftRoleInline(admin.TabularInline):
    model = ShiftRole
    fields = ("name", "needed", "skill", "adults_only", "is_critical")
    extra = 3


@admin.register(Shift)
class ShiftAdmin(LabelledDateTimeAdmin):
    list_display = ("title", "kind", "starts_at", "ends_at", "mode", "coordinator")
    list_filter = ("kind", "mode")
    search_fields = ("title",)
    date_hierarchy = "starts_at"
    autocomplete_fields = ("event",)
    raw_id_fields = ("booking",)
    fields = (
        "title",
        "kind",
        "event",
        "booking",
        "venue",
        "place",
        "starts_at",
        "ends_at",
        "mode",
        "coordinator",
        "description",
        "cancel_reason",
        "cancelled_at",
        "cancelled_by",
    )
    readonly_fields = ("cancelled_at", "cancelled_by")
    inlines = [ShiftRoleInline]

    def get_readonly_fields(self, request, obj=None):
        # A reason typed here calls the shift off (everyone told); once off, it stays as written.
        return (*self.readonly_fields, "cancel_reason") if obj and obj.cancelled_at else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            obj.coordinator = obj.coordinator or request.user
        reason = form.cleaned_data.get("cancel_reason", "") if "cancel_reason" in form.changed_data else ""
        obj.cancel_reason = "" if reason else obj.cancel_reason
        super().save_model(request, obj, form, change)
        if reason:
            told = services.shift_cancel(shift=obj, reason=reason, by=request.user)
            messages.warning(request, _("The shift is cancelled; %(count)d volunteers were told.") % {"count": told})


class RecognitionInline(admin.TabularInline):
    model = Recognition
    fields = ("kind", "title", "date")
    extra = 1


@admin.register(Volunteer)
class VolunteerAdmin(admin.ModelAdmin):
    list_display = ("member", "village", "status", "applied_at", "decided_by")
    list_filter = ("status", "village")
    search_fields = ("member__name",)
    fields = ("member", "village", "skills", "availability", "note", "status", "decided_by", "decided_at")
    readonly_fields = ("member", "status", "decided_by", "decided_at", "skills", "availability")
    inlines = [RecognitionInline]

    def has_add_permission(self, request):
        return False

    def save_formset(self, request, form, formset, change):
        for recognition in formset.save(commit=False):
            recognition.recorded_by = recognition.recorded_by or request.user
            recognition.save()
        for gone in formset.deleted_objects:
            gone.delete()


@admin.register(ShiftSignup)
class ShiftSignupAdmin(ReadOnlyAdmin):
    list_display = ("volunteer", "shift", "role", "status", "checked_in_at", "checked_out_at", "no_show")
    list_filter = ("status", "no_show", "is_late_cancel")
    search_fields = ("volunteer__member__name", "shift__title")


@admin.register(HoursEntry)
class HoursEntryAdmin(ReadOnlyAdmin):
    list_display = ("volunteer", "service_date", "kind", "minutes", "status", "decided_by", "decided_at")
    list_filter = ("status", "kind")
    search_fields = ("volunteer__member__name",)


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ("serial", "name", "minutes", "issued_at")
    search_fields = ("serial", "name")
