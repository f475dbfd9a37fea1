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
]
