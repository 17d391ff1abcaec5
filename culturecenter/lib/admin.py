from django.contrib import admin
from django.contrib.admin.widgets import AdminSplitDateTime
from django.utils.translation import gettext as _


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that change only through the services that keep their rules
    (sign-ups, loans, holds, check-ins): the admin may look, never edit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """The rows beside a record that only its services write (review steps, a book's holds):
    listed under it, never added, edited or removed here. Set `model` and `fields`."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


class LabelledDateTimeAdmin(admin.ModelAdmin):
    """Django shows a date-and-time field as two boxes under one <label> that points at neither:
    give each box its own name ("starts: date", "starts: time") for screen readers and voice control."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and isinstance(formfield.widget, AdminSplitDateTime):
            date, time = formfield.widget.widgets
            date.attrs["aria-label"] = _("%(field)s: date") % {"field": formfield.label}
            time.attrs["aria-label"] = _("%(field)s: time") % {"field": formfield.label}
        return formfield
