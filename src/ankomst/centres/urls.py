from django.urls import path

from . import views

app_name = "centres"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("occupancy.csv", views.export_csv, name="export_csv"),
    path("phases/", views.phases, name="phases"),
    path("import/", views.import_population, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("import/template.csv", views.import_template, name="import_template"),
    path("<int:pk>/", views.centre_detail, name="centre_detail"),
    path("<int:pk>/check-in/", views.check_in, name="check_in"),
    path("<int:pk>/arrivals/", views.arrivals, name="arrivals"),
    path("<int:pk>/arrivals/confirm/", views.arrivals_confirm, name="arrivals_confirm"),
    path("<int:pk>/arrivals/template.csv", views.arrivals_template, name="arrivals_template"),
    path("rooms/<int:room_id>/close/", views.close_beds, name="close_beds"),
    path("person/<int:person_id>/transfer/", views.transfer, name="transfer"),
    path("person/<int:person_id>/check-out/", views.check_out, name="check_out"),
    path("person/<int:person_id>/phase/", views.set_phase, name="set_phase"),
]
