from django.contrib import admin
from django.urls import include, path

from families import views as family_views
from referrals import views as referral_views

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("families/<int:pk>/", family_views.family_detail, name="family_detail"),
    path("referrals/<int:pk>/", referral_views.referral_detail, name="referral_detail"),
]
