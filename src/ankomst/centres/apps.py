from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CentresConfig(AppConfig):
    name = "ankomst.centres"
    verbose_name = _("Asylum centres")

    def ready(self):
        from ankomst.people.panels import register

        from .panels import person_panel

        register(person_panel)
