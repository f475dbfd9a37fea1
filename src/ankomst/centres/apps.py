from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CentresConfig(AppConfig):
    name = "ankomst.centres"
    verbose_name = _("Asylum centres")
