from django.urls import path

from . import views

app_name = "distribution"

urlpatterns = [
    path("", views.years, name="years"),
    path("new/", views.year_create, name="year_create"),
    path("<int:pk>/", views.year_detail, name="year_detail"),
    path("<int:pk>/exchanges/", views.exchange_add, name="exchange_add"),
    path("<int:pk>/revise/", views.year_revise, name="year_revise"),
    path("<int:pk>/quotas.csv", views.year_csv, name="year_csv"),
    path("batch/", views.batch, name="batch"),
    path("batch/start/", views.run_start, name="run_start"),
    path("households/<int:pk>/facts/", views.facts, name="facts"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("runs/<int:pk>/cancel/", views.run_cancel, name="run_cancel"),
    path("runs/<int:pk>/confirm/", views.run_confirm, name="run_confirm"),
    path("proposals/<int:pk>/", views.line_detail, name="line_detail"),
    path("proposals/<int:pk>/override/", views.line_override, name="line_override"),
]
