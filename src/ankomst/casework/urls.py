from django.urls import path

from . import views

app_name = "casework"

urlpatterns = [
    path("", views.concern_list, name="concerns"),
    path("new/", views.concern_create, name="concern_create"),
    path("<int:pk>/", views.concern_detail, name="concern_detail"),
    path("<int:pk>/edit/", views.concern_edit, name="concern_edit"),
]
