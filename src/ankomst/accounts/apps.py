from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ankomst.accounts"
    verbose_name = _("Organisations and users")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the audit of sign-ins)
