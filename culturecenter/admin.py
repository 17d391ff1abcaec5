from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from culturecenter import services
from culturecenter.forms import MobileField
from culturecenter.lib.login_guard import LoginGuard
from culturecenter.lib.privacy import mask_mobile
from culturecenter.models import (
    Household,
    Member,
    OpeningPeriod,
    OpeningSchedule,
    PasswordResetCode,
    SpecialDay,
    User,
)

admin.site.site_header = _("Qingshui Cultural Center administration")
admin.site.site_title = _("Qingshui Cultural Center")
admin.site.index_title = _("Administration")

SPECIAL_GROUP_FIELDS = ("is_disabled", "has_hardship")


def can_see_special_groups(user) -> bool:
    return user.has_perm("culturecenter.view_special_groups")


@admin.register(User)
class CenterUserAdmin(UserAdmin):
    actions = ["lift_login_block"]

    @admin.action(description=_("Lift the login block (after too many wrong passwords)"), permissions=["change"])
    def lift_login_block(self, request, queryset):
        for user in queryset:
            LoginGuard.lift(user.username)
        self.message_user(
            request, _("Login block lifted for: %(names)s.") % {"names": "、".join(u.username for u in queryset)}
        )


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
        for inline_form in formset.forms:
            if inline_form.instance.pk is None:
                inline_form.instance.created_by = request.user
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            obj.assign_reader_card()


@admin.register(Member)
class MemberAdmin(MobileCleaningMixin, admin.ModelAdmin):
    list_display = ("name", "mobile", "village", "birth_year", "age_group_label", "reader_card", "has_login")
    list_filter = ("village",)
    search_fields = ("name", "mobile", "reader_card")
    autocomplete_fields = ("user", "household")
    readonly_fields = ("consented_at", "created_at", "created_by", "anonymised_at")
    list_per_page = 50
    actions = ["issue_reset_code", "lift_login_block"]
    change_form_template = "admin/culturecenter/member/change_form.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.reset_code_view)
        return [path("<int:pk>/reset-code/", view, name="culturecenter_member_reset_code"), *super().get_urls()]

    def _reset_code_response(self, request, member):
        """Issue the code and show it once. The answer to this POST is the page itself, not a
        redirect: the code exists only here (the database keeps its hash), and a reload that
        sends the form again only issues a new code, which replaces this one."""
        try:
            code, record = services.password_reset_code_issue(member=member, by=request.user)
        except services.ResetRefused:
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("One-time code to set a new password"),
            "member": member,
            "masked_mobile": mask_mobile(member.mobile),
            "code": code,
            "record": record,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/culturecenter/member/reset_code.html", context)

    @admin.action(description=_("Issue a one-time code to set a new password"), permissions=["change"])
    def issue_reset_code(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one person, after checking their ID."), messages.WARNING)
            return None
        response = self._reset_code_response(request, queryset.select_related("user").get())
        if response is None:
            self.message_user(request, self.refused_message, messages.ERROR)
        return response

    @admin.action(description=_("Lift the login block (after too many wrong passwords)"), permissions=["change"])
    def lift_login_block(self, request, queryset):
        names = []
        for member in queryset.select_related("user"):
            for login in {member.mobile, member.user.username if member.user else None} - {None, ""}:
                LoginGuard.lift(login)
            names.append(member.name)
        self.message_user(request, _("Login block lifted for: %(names)s.") % {"names": "、".join(names)})

    refused_message = _(
        "Only a villager's own login gets a code here. This person has no login, or it is a staff "
        "login: an administrator sets staff passwords under Users."
    )

    @method_decorator(require_POST)
    def reset_code_view(self, request, pk):
        member = get_object_or_404(Member.objects.select_related("user"), pk=pk)
        if not self.has_change_permission(request, member):
            raise PermissionDenied
        response = self._reset_code_response(request, member)
        if response is None:
            self.message_user(request, self.refused_message, messages.ERROR)
            return redirect("admin:culturecenter_member_change", member.pk)
        return response

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

    def lookup_allowed(self, lookup, value, request=None):
        # Without the permission, `?is_disabled__exact=1` must not list disabled people.
        if lookup.split("__")[0] in SPECIAL_GROUP_FIELDS and not (request and can_see_special_groups(request.user)):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_list_filter(self, request):
        if can_see_special_groups(request.user):
            return (*self.list_filter, *SPECIAL_GROUP_FIELDS)
        return self.list_filter

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        obj.assign_reader_card()


@admin.register(PasswordResetCode)
class PasswordResetCodeAdmin(admin.ModelAdmin):
    """Who issued which code when, and whether it was used: the record, never the code."""

    list_display = ("user", "issued_by", "issued_at", "expires_at", "used_at")
    list_select_related = ("user", "issued_by")
    readonly_fields = ("user", "issued_by", "issued_at", "expires_at", "used_at")
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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
