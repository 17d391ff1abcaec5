from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from culturecenter.forms import MobileField
from culturecenter.models import Household, Member, OpeningPeriod, OpeningSchedule, SpecialDay, User

admin.site.site_header = _("Qingshui Cultural Center administration")
admin.site.site_title = _("Qingshui Cultural Center")
admin.site.index_title = _("Administration")

SPECIAL_GROUP_FIELDS = ("is_disabled", "has_hardship")


def can_see_special_groups(user) -> bool:
    return user.has_perm("culturecenter.view_special_groups")


admin.site.register(User, UserAdmin)


class MobileCleaningMixin:
    """Staff type mobile numbers the way villagers read them out: "139 1234 5678"."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "mobile":
            kwargs["form_class"] = MobileField
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class MemberInline(MobileCleaningMixin, admin.TabularInline):
    model = Member
    fields = ("name", "mobile", "village", "birth_year", "reader_card")
    extra = 0
    show_change_link = True


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ("__str__", "created_at")
    search_fields = ("name", "members__name", "members__mobile")
    inlines = [MemberInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            obj.assign_reader_card()


@admin.register(Member)
class MemberAdmin(MobileCleaningMixin, admin.ModelAdmin):
    list_display = ("name", "mobile", "village", "birth_year", "age_group_label", "reader_card", "has_login")
    list_filter = ("village",)
    search_fields = ("name", "mobile", "reader_card")
    autocomplete_fields = ("user", "household")
    readonly_fields = ("consented_at", "created_at", "anonymised_at")
    list_per_page = 50

    @admin.display(description=_("age group"))
    def age_group_label(self, member):
        return member.get_age_group_display()

    @admin.display(description=_("has a login"), boolean=True)
    def has_login(self, member):
        return member.user_id is not None

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ("name", "mobile", "email", "village", "birth_year", "reader_card")}),
            (_("Login and household"), {"fields": ("user", "household")}),
        ]
        if can_see_special_groups(request.user):
            fieldsets.append((_("Special groups (confidential)"), {"fields": SPECIAL_GROUP_FIELDS}))
        fieldsets.append((_("Record"), {"fields": self.readonly_fields}))
        return fieldsets

    def get_list_filter(self, request):
        if can_see_special_groups(request.user):
            return (*self.list_filter, *SPECIAL_GROUP_FIELDS)
        return self.list_filter

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        obj.assign_reader_card()


class OpeningPeriodInline(admin.TabularInline):
    model = OpeningPeriod
    extra = 1


@admin.register(OpeningSchedule)
class OpeningScheduleAdmin(admin.ModelAdmin):
    list_display = ("name", "valid_from", "valid_until")
    inlines = [OpeningPeriodInline]


@admin.register(SpecialDay)
class SpecialDayAdmin(admin.ModelAdmin):
    list_display = ("date", "is_closed", "opens", "closes", "note")
    date_hierarchy = "date"
