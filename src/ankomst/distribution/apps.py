from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DistributionConfig(AppConfig):
    name = "ankomst.distribution"
    verbose_name = _("National distribution")
    default_auto_field = "django.db.models.BigAutoField"
