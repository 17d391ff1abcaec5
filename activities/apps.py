from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities")

    def ready(self):
        from activities import personal_data
        from activities import sections as parts
        from activities.models import Article, Event
        from culturecenter import sections
        from culturecenter.context_processors import WORK_MENU, WORK_MENU_COUNTS

        sections.register("home", "activities/_home_upcoming.html", parts.home_upcoming, shared=True)
        sections.register("home", "activities/_home_news.html", parts.home_news, shared=True)
        sections.register("account_summary", "activities/_summary_next_event.html", parts.account_next_event)
        sections.register("account", "activities/_my_registrations.html", parts.account_registrations)
        sections.register("account", "activities/_my_volunteering.html", parts.account_volunteering)
        sections.register("event", "activities/_event_volunteer_prompt.html", parts.event_volunteer_prompt)
        sections.register("account", "activities/_my_teams_courses.html", parts.account_teams_and_courses)
        personal_data.register_sections()
        courses_entry = (
            "activities:courses",
            "",
            pgettext_lazy("work menu", "Courses"),
            "activities.take_course_attendance",
        )
        if courses_entry not in WORK_MENU:
            WORK_MENU.insert(len(WORK_MENU) - 1, courses_entry)  # before Administration
        personal_data.register_volunteer_sections()
        volunteers_entry = (
            "activities:volunteer_staff",
            "",
            pgettext_lazy("work menu", "Volunteers"),
            "activities.coordinate_volunteers",
        )
        if volunteers_entry not in WORK_MENU:
            WORK_MENU.insert(len(WORK_MENU) - 1, volunteers_entry)
        WORK_MENU_COUNTS["admin:activities_event_changelist"] = lambda request: Event.objects.filter(
            status=Event.Status.SUBMITTED
        ).count()
        rooms = ("activities:rooms", "", pgettext_lazy("work menu", "Rooms"), "activities.view_booking")
        if rooms not in WORK_MENU:
            WORK_MENU.insert(1, rooms)
        WORK_MENU_COUNTS["admin:activities_article_changelist"] = lambda request: Article.objects.filter(
            status=Article.Status.SUBMITTED
        ).count()
