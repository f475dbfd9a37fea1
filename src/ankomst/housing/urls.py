from django.urls import path

from . import views

app_name = "housing"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("units/", views.units, name="units"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/import/", views.unit_import, name="unit_import"),
    path("units/import/confirm/", views.unit_import_confirm, name="unit_import_confirm"),
    path("units/template.csv", views.import_template, name="import_template"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/status/", views.unit_status, name="unit_status"),
    path("areas/", views.areas, name="areas"),
    path("areas/new/", views.area_create, name="area_create"),
    path("areas/<int:pk>/", views.area_detail, name="area_detail"),
    path("households/", views.needs, name="needs"),
    path("households/<int:pk>/", views.need_detail, name="need_detail"),
    path("households/<int:pk>/rules/", views.need_rule_add, name="need_rule_add"),
    path(
        "households/<int:pk>/rules/<int:rule_pk>/remove/",
        views.need_rule_remove,
        name="need_rule_remove",
    ),
    path("runs/", views.runs, name="runs"),
    path("runs/start/", views.run_start, name="run_start"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("runs/<int:pk>/cancel/", views.run_cancel, name="run_cancel"),
    path("runs/<int:pk>/accept-all/", views.run_accept_all, name="run_accept_all"),
    path("runs/<int:pk>/map/", views.run_map, name="run_map"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/accept/", views.proposal_accept, name="proposal_accept"),
    path("proposals/<int:pk>/reject/", views.proposal_reject, name="proposal_reject"),
    path("proposals/<int:pk>/override/", views.proposal_override, name="proposal_override"),
    path("proposals/<int:pk>/offer/", views.proposal_offer, name="proposal_offer"),
    path("offers/", views.offers, name="offers"),
    path("offers/<int:pk>/", views.offer_detail, name="offer_detail"),
    path("offers/<int:pk>/accept/", views.offer_accept, name="offer_accept"),
    path("offers/<int:pk>/decline/", views.offer_decline, name="offer_decline"),
    path("offers/<int:pk>/withdraw/", views.offer_withdraw, name="offer_withdraw"),
    path("offers/<int:pk>/move-in/", views.offer_move_in, name="offer_move_in"),
    path("stays/", views.stays, name="stays"),
    path("map/", views.map_page, name="map"),
    path("rates/", views.caps, name="caps"),
]
