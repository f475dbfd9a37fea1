from django.urls import path

from . import views

app_name = "reception"

urlpatterns = [
    path("", views.arrivals, name="arrivals"),
    path("new/", views.arrival_create, name="arrival_create"),
    path("import/", views.arrival_import, name="arrival_import"),
    path("import/confirm/", views.arrival_import_confirm, name="arrival_import_confirm"),
    path("import/template.csv", views.import_template, name="import_template"),
    path("arrivals/<int:pk>/", views.arrival_detail, name="arrival_detail"),
    path("arrivals/<int:pk>/handover/", views.arrival_handover, name="arrival_handover"),
    path("arrivals/<int:pk>/home/", views.arrival_home, name="arrival_home"),
    path("arrivals/<int:pk>/follow-ups/", views.arrival_follow_up, name="arrival_follow_up"),
    path("arrivals/<int:pk>/package/", views.arrival_package, name="arrival_package"),
    path("queue/", views.queue, name="queue"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("tasks/<int:pk>/not-needed/", views.task_not_needed, name="task_not_needed"),
    path("tasks/<int:pk>/reopen/", views.task_reopen, name="task_reopen"),
    path("tasks/<int:pk>/hand-off/", views.task_hand_off, name="task_hand_off"),
    path("hand-offs/<int:pk>/acknowledge/", views.handoff_acknowledge, name="handoff_acknowledge"),
    path("checklist/", views.checklist, name="checklist"),
    path("checklist/<int:pk>/", views.checklist_item, name="checklist_item"),
    path("plans/<int:person_pk>/", views.plan, name="plan"),
    path("plans/<int:person_pk>/status/", views.plan_status, name="plan_status"),
    path("children/", views.children, name="children"),
    path("children/<int:person_pk>/", views.child, name="child"),
    path("goals/", views.goals, name="goals"),
    path("goals/<slug:name>.svg", views.goals_chart, name="goals_chart"),
    path("goals.csv", views.goals_csv, name="goals_csv"),
    path("departures/", views.departures, name="departures"),
    path("departures/<int:person_pk>/confirm/", views.departure_confirm, name="departure_confirm"),
]
