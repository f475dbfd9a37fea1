from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.person_search, name="search"),
    path("new/", views.person_edit, name="person_create"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("<int:pk>/sensitive/", views.person_sensitive, name="person_sensitive"),
    path("households/new/", views.household_edit, name="household_create"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("households/<int:pk>/edit/", views.household_edit, name="household_edit"),
]
