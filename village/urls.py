from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("families/", include("families.urls")),
    path("referrals/", include("referrals.urls")),
    path("reflection/", include("reflection.urls")),
    path("notices/", include("referrals.notice_urls")),
    path("school/", include("referrals.school_urls")),
    path("people/", include("partners.people_urls")),
    path("catalogue/", include("partners.urls")),
]
