from django.urls import path

from . import views

app_name = "casework"

urlpatterns = [
    path("", views.concern_list, name="concerns"),
    path("new/", views.concern_create, name="concern_create"),
    path("<int:pk>/", views.concern_detail, name="concern_detail"),
    path("<int:pk>/edit/", views.concern_edit, name="concern_edit"),
    path("<int:pk>/follow-ups/", views.follow_up_add, name="follow_up_add"),
    path(
        "<int:pk>/follow-ups/<int:follow_up_pk>/done/",
        views.follow_up_done,
        name="follow_up_done",
    ),
    path("<int:pk>/police-report/", views.police_report_add, name="police_report_add"),
    path("<int:pk>/close/", views.concern_close, name="concern_close"),
]
