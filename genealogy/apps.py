from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class GenealogyConfig(AppConfig):
    name = "genealogy"
    verbose_name = _("Family history")

    def ready(self) -> None:
        from . import signals

        models = signals.connect()
        for model, receiver in models:
            post_save.connect(receiver, sender=model, dispatch_uid=f"search-{model.__name__}")
            post_delete.connect(
                receiver, sender=model, dispatch_uid=f"search-{model.__name__}-delete"
            )
