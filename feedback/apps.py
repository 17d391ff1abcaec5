from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Feedback")

    def ready(self):
        from activities.services import register_figure
        from culturecenter import sections
        from culturecenter.context_processors import WORK_MENU
        from feedback import personal_data
        from feedback import sections as parts

        sections.register("event", "feedback/_event_feedback.html", parts.event_feedback)
        sections.register("account", "feedback/_account_to_evaluate.html", parts.account_to_evaluate)
        sections.register("home", "feedback/_open_surveys.html", parts.open_surveys, shared=True)
        personal_data.register_sections()
        WORK_MENU.insert(
            len(WORK_MENU) - 1,
            ("feedback:briefings", "", pgettext_lazy("work menu", "Briefings"), "feedback.view_briefing"),
        )
        WORK_MENU.insert(
            len(WORK_MENU) - 1,
            ("feedback:indicator_targets", "", pgettext_lazy("work menu", "Indicators"), "feedback.view_briefing"),
        )
        register_figure(parts.article_satisfaction)
