from django.urls import path

from . import bridge_views, partner_views, views

urlpatterns = [
    path("<int:pk>/", views.referral_detail, name="referral_detail"),
    path("new/<int:family_pk>/", bridge_views.referral_create, name="referral_create"),
    path("<int:pk>/edit/", bridge_views.referral_edit, name="referral_edit"),
    path("<int:pk>/review/", bridge_views.referral_review, name="referral_review"),
    path("<int:pk>/consent/", bridge_views.referral_consent, name="referral_consent"),
    path("<int:pk>/withdraw/", bridge_views.referral_withdraw, name="referral_withdraw"),
    path("<int:pk>/follow-up/", bridge_views.referral_follow_up, name="referral_follow_up"),
    path("school-requests/", bridge_views.school_request_list, name="school_request_list"),
    path(
        "school-requests/<int:pk>/pick-up/",
        bridge_views.school_request_pick_up,
        name="school_request_pick_up",
    ),
    path("school-requests/<int:pk>/link/", bridge_views.school_request_link, name="school_request_link"),
    path(
        "school-requests/<int:pk>/handled/",
        bridge_views.school_request_handled,
        name="school_request_handled",
    ),
    # the partner worker's inbox and answers (referrals/partner_views.py)
    path("inbox/", partner_views.partner_inbox, name="partner_inbox"),
    path("<int:pk>/respond/<slug:action>/", partner_views.referral_act, name="referral_act"),
]
