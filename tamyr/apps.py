from django.apps import AppConfig


class TamyrConfig(AppConfig):
    """The project package as an app, for commands that span apps (`load_demo`)."""

    name = "tamyr"
    verbose_name = "Tamyr"
