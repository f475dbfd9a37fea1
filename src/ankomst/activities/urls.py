from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("", views.schedule, name="schedule"),
    path("list/", views.activity_list, name="activity_list"),
    path("new/", views.activity_edit, name="activity_create"),
    path("<int:pk>/", views.activity_detail, name="activity_detail"),
    path("<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("<int:pk>/enrol/", views.enrol, name="enrol"),
    path("enrolments/<int:pk>/end/", views.enrolment_end, name="enrolment_end"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/mark/", views.attendance_mark, name="attendance_mark"),
    path("contracts/", views.contracts, name="contracts"),
    path("contracts/<int:person_pk>/", views.contract_edit, name="contract_edit"),
]
