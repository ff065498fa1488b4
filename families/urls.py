from django.urls import path

from . import views

urlpatterns = [
    path("", views.family_list, name="family_list"),
    path("new/", views.family_create, name="family_create"),
    path("<int:pk>/", views.family_detail, name="family_detail"),
    path("<int:pk>/edit/", views.family_edit, name="family_edit"),
    path("<int:pk>/guardians/new/", views.guardian_form, name="guardian_add"),
    path("<int:pk>/guardians/<int:guardian_pk>/edit/", views.guardian_form, name="guardian_edit"),
    path("<int:pk>/children/new/", views.child_add, name="child_add"),
    path("<int:pk>/children/<int:child_pk>/edit/", views.child_edit, name="child_edit"),
    path("<int:pk>/consents/<int:consent_pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("<int:pk>/consents/<int:consent_pk>/renew/", views.consent_renew, name="consent_renew"),
    path("contact-moments/new/", views.contact_moment_create, name="contact_moment_create"),
]
