"""The catalogue pages, mounted at catalogue/."""

from django.urls import path

from . import catalogue_views as views

app_name = "catalogue"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("stale/", views.stale_offers, name="stale"),
    path("export.json", views.export, name="export"),
    path("import/", views.upload, name="import"),
    path("our-offers/", views.our_offers, name="our_offers"),
    path("our-offers/new/", views.offer_create, name="offer_create"),
    path("offers/<int:pk>/", views.offer_edit, name="offer_edit"),
    path("offers/<int:pk>/verify/", views.offer_verify, name="offer_verify"),
    path("offers/<int:pk>/active/", views.offer_set_active, name="offer_set_active"),
]
