from django.urls import path

from . import views

app_name = "reflection"

urlpatterns = [
    path("", views.index, name="index"),
    path("frameworks/<slug:code>/", views.framework_detail, name="framework_detail"),
    path("rounds/new/", views.round_open, name="round_open"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/answer/", views.round_answer, name="round_answer"),
    path("rounds/<int:pk>/invite/", views.round_invite, name="round_invite"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("rounds/<int:pk>/action-points/new/", views.action_point_add, name="action_point_add"),
    path("action-points/<int:pk>/", views.action_point_follow_up, name="action_point_follow_up"),
    path("signals/", views.signal_list, name="signal_list"),
    path("signals/<int:pk>/", views.signal_detail, name="signal_detail"),
]
