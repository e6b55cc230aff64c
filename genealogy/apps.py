from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GenealogyConfig(AppConfig):
    name = "genealogy"
    verbose_name = _("Family history")
