from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LocalHistoryConfig(AppConfig):
    name = "localhistory"
    verbose_name = _("Local history")
