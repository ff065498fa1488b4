"""The people pages (administrator and network coordinator), mounted at people/."""

from django.urls import path

from . import people_views

urlpatterns = [
    path("", people_views.people_list, name="people_list"),
    path("invite/", people_views.person_invite, name="person_invite"),
    path(
        "memberships/<int:pk>/deactivate/", people_views.membership_deactivate, name="membership_deactivate"
    ),
]
