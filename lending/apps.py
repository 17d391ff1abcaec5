from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LendingConfig(AppConfig):
    name = "lending"
    verbose_name = _("Library")

    def ready(self):
        from culturecenter import sections
        from lending import personal_data
        from lending import sections as parts

        sections.register("home", "lending/_home_campaign.html", parts.home_campaign, shared=True)
        sections.register("account_summary", "lending/_summary_due_soon.html", parts.account_due_soon)
        sections.register("account", "lending/_my_loans.html", parts.account_loans)
        personal_data.register_sections()
