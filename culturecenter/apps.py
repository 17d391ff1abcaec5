from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CultureCenterConfig(AppConfig):
    name = "culturecenter"
    verbose_name = _("Center, members and opening hours")

    def ready(self):
        from culturecenter import personal_data

        personal_data.register_sections()
