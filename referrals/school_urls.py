from django.urls import path

from . import school_views

urlpatterns = [
    path("ask/", school_views.school_request_create, name="school_request_create"),
    path("requests/", school_views.school_request_mine, name="school_request_mine"),
    path("pupils/", school_views.school_pupils, name="school_pupils"),
]
