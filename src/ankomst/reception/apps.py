from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceptionConfig(AppConfig):
    name = "ankomst.reception"
    verbose_name = _("Municipal reception")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (a granted case phase announces an arrival)
