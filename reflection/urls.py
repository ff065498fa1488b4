from django.urls import path

from . import views
from .report import views as report_views

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
    path("report/", report_views.report, name="report"),
    path("report/exports/", report_views.export_create, name="report_export_create"),
    path("report/exports/<int:pk>/", report_views.export_detail, name="report_export"),
    path("report/exports/<int:pk>/status/", report_views.export_status, name="report_export_status"),
    path("report/exports/<int:pk>/download/", report_views.export_download, name="report_export_download"),
]
