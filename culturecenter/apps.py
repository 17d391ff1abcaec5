from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CultureCenterConfig(AppConfig):
    name = "culturecenter"
    verbose_name = _("Center, members and opening hours")
