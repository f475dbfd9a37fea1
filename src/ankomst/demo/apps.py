from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "ankomst.demo"
    verbose_name = "Demo data"
