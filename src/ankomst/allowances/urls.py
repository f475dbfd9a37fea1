from django.urls import path

from . import views

app_name = "allowances"

urlpatterns = [
    path("", views.run_list, name="run_list"),
    path("new/", views.run_prepare, name="run_prepare"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/approve/", views.run_approve, name="run_approve"),
    path("runs/<int:pk>/lock/", views.run_lock, name="run_lock"),
    path("runs/<int:pk>/cancel/", views.run_cancel, name="run_cancel"),
    path("runs/<int:pk>/export.csv", views.run_export_csv, name="run_export_csv"),
    path("runs/<int:pk>/bank.xml", views.run_export_bank, name="run_export_bank"),
    path("runs/<int:pk>/statements/<str:key>/", views.statement, name="statement"),
    path("runs/<int:pk>/lines/<int:line_pk>/correct/", views.line_correct, name="line_correct"),
    path("minors/", views.minor_list, name="minor_list"),
    path("minors/<int:pk>/", views.minor_ledger, name="minor_ledger"),
    path("rates/<str:country>/<int:year>/", views.rate_table, name="rate_table"),
]
