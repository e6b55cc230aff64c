from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LocalHistoryConfig(AppConfig):
    name = "localhistory"
    verbose_name = _("Local history")

    def ready(self):
        # The person page lists the local-history pages that mention the person or their
        # places; genealogy imports nothing of this app, so the provider is handed over here.
        from genealogy import views as genealogy_views

        from .mentions import person_mentions

        if person_mentions not in genealogy_views.MENTION_PROVIDERS:
            genealogy_views.MENTION_PROVIDERS.append(person_mentions)
