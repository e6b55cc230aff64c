"""The importers app: GEDCOM files in and out; its signal receivers are wired here."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportersConfig(AppConfig):
    name = "importers"
    verbose_name = _("Imports and exports")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from genealogy.models import NameToken
        from genealogy.services import PURGE_ORDER, tree_purging

        from .models import ExportJob
        from .services import export_job_deleted, exports_on_tree_purge, tree_record_changed

        # Kept GEDCOM exports: their files go with their rows and with their tree, and an
        # edit of any record of a tree makes them out of date.
        tree_purging.connect(exports_on_tree_purge, dispatch_uid="importers-exports-purge")
        post_delete.connect(
            export_job_deleted, sender=ExportJob, dispatch_uid="importers-export-file"
        )
        for model in PURGE_ORDER:
            if model is NameToken:  # search vocabulary, not part of any export
                continue
            for signal in (post_save, post_delete):
                signal.connect(
                    tree_record_changed,
                    sender=model,
                    dispatch_uid=f"importers-tree-changed-{model.__name__}-{signal is post_save}",
                )
