"""Admin for teams and course series. Course workflow (review, lottery, attendance) runs
on the course's manage page; the admin edits the facts."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from activities.models import (
    Course,
    CourseReviewStep,
    CourseSession,
    Honour,
    JoinRequest,
    Performance,
    Team,
    TeamMembership,
    TeamPhoto,
)
from culturecenter.lib.admin import LabelledDateTimeAdmin, ReadOnlyInline

COURSE_CONTENT = ("title", "category", "description", "venue", "teacher", "min_age", "max_age")


class MembershipInline(admin.TabularInline):
    model = TeamMembership
    fields = ("member", "role", "joined_on", "left_on")
    raw_id_fields = ("member",)
    extra = 0


class HonourInline(admin.TabularInline):
    model = Honour
    extra = 0


class PerformanceInline(admin.TabularInline):
    model = Performance
    raw_id_fields = ("event",)
    extra = 0


class PhotoInline(admin.TabularInline):
    model = TeamPhoto
    extra = 0


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "founded_on", "is_public", "pages")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (MembershipInline, HonourInline, PerformanceInline, PhotoInline)

    @admin.display(description=_("pages"))
    def pages(self, obj):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            obj.get_absolute_url(),
            _("public page"),
            reverse("activities:team_manage", args=[obj.slug]),
            _("manage"),
        )


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ("member", "team", "status", "asked_at", "decided_by")
    list_filter = ("status", "team")
    readonly_fields = ("team", "member", "message", "status", "asked_by", "asked_at", "decided_by", "decided_at")

    def has_add_permission(self, request):
        return False


class SessionInline(ReadOnlyInline):
    model = CourseSession
    fields = ("starts_at", "ends_at", "status", "note")


class CourseReviewStepInline(ReadOnlyInline):
    model = CourseReviewStep
    fields = ("at", "action", "actor", "opinion")


@admin.register(Course)
class CourseAdmin(LabelledDateTimeAdmin):
    list_display = ("title", "venue", "teacher", "allocation", "status", "pages")
    list_filter = ("status", "allocation")
    search_fields = ("title",)
    # The draw's seed and who did what are set by the services only; the seed never shows.
    readonly_fields = (
        "status",
        "created_by",
        "seed_hash",
        "seed_committed_at",
        "seed_committed_by",
        "drawn_at",
        "drawn_by",
    )
    inlines = (SessionInline, CourseReviewStepInline)

    @admin.display(description=_("pages"))
    def pages(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("activities:course_manage", args=[obj.pk]), _("manage"))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        changed = [name for name in COURSE_CONTENT if name in form.changed_data]
        reopen = change and obj.status == Course.Status.APPROVED and changed
        if reopen:
            obj.status = Course.Status.SUBMITTED
        super().save_model(request, obj, form, change)
        if reopen:
            labels = "、".join(str(Course._meta.get_field(name).verbose_name) for name in changed)
            CourseReviewStep.objects.create(
                course=obj,
                action=CourseReviewStep.Action.SUBMITTED,
                actor=request.user,
                opinion=_("Changed after approval: %(fields)s") % {"fields": labels},
            )
