from django.urls import path

from . import views

app_name = "security"

urlpatterns = [
    path("", views.two_factor, name="two_factor"),
    path("setup/", views.setup, name="setup"),
    path("verify/", views.verify, name="verify"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("remove/", views.remove, name="remove"),
]
