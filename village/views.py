"""Project-level pages: the home page per role, the language switch and the health check.

This module wires the apps together, so (unlike village.models) it may import them.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from families.models import Consent, ContactMoment, Family
from partners.models import Offer, Organisation, Role, organisations_of
from partners.roles import roles_of
from referrals.models import Referral, SchoolNotice, SchoolRequest, Status
from reflection.models import Round, Signal

from .models import User


def bridge_caseload(user, today) -> dict:
    """The bridge figure's day: follow-ups due, consents running out (each from the scoped querysets)."""
    families = Family.objects.visible_to(user)
    return {
        "family_count": families.count(),
        "follow_ups_due": Referral.objects.content_visible_to(user)
        .filter(referring_team_id__in=organisations_of(user, Role.BRIDGE_FIGURE))
        .filter(contact_made_on__isnull=False, follow_up_result="")
        .exclude(status=Status.WITHDRAWN)
        .select_related("family", "receiving_organisation")
        .order_by("contact_made_on")[:20],
        "moments_due": ContactMoment.objects.visible_to(user)
        .filter(follow_up_on__range=(today - datetime.timedelta(days=30), today + datetime.timedelta(days=7)))
        .select_related("family", "school")
        .order_by("follow_up_on")[:20],
        "expiring_consents": Consent.objects.visible_to(user)
        .active()
        .filter(
            family__in=families,
            expires_on__lte=today + datetime.timedelta(days=30),
        )
        .exclude(Exists(Consent.objects.active().filter(renews=OuterRef("pk"))))
        .select_related("family", "recipient")
        .order_by("expires_on")[:20],
    }


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """One page, one section per role the person holds, each filled from the scoped querysets."""
    roles = roles_of(request.user)
    request._village_roles = roles
    user = request.user
    context: dict = {"today": timezone.localdate()}
    if roles.is_bridge_figure:
        context.update(bridge_caseload(user, context["today"]))
        context["awaiting_answer"] = (
            Referral.objects.content_visible_to(user)
            .filter(referring_team__in=roles.bridge_teams)
            .awaiting_answer()
            .select_related("family", "receiving_organisation")
            .order_by("sent_at")
        )
        context["bridge_requests"] = (
            SchoolRequest.objects.visible_to(user)
            .exclude(status=SchoolRequest.Status.HANDLED)
            .filter(school__coverages__bridge_figure__organisation__in=roles.bridge_teams)
            .distinct()
            .select_related("school")
        )
    if roles.is_partner_worker:
        context["inbox"] = (
            Referral.objects.visible_to(user)
            .filter(receiving_organisation__in=roles.partner_organisations)
            .exclude(status__in=[Status.CLOSED, Status.WITHDRAWN, Status.DECLINED])
            .select_related("receiving_organisation")
            .order_by("sent_at")
        )
    if roles.is_school_coordinator:
        context["my_requests"] = (
            SchoolRequest.objects.visible_to(user).filter(school__in=roles.schools).select_related("school")
        )
        context["notices"] = SchoolNotice.objects.visible_to(user).select_related(
            "child", "school_request", "bridge_figure", "school"
        )[:20]
    if roles.is_network_coordinator:
        context["organisation_count"] = Organisation.objects.filter(active=True).count()
        context["offer_count"] = Offer.objects.filter(active=True).count()
        context["stale_offers"] = (
            Offer.objects.filter(active=True).stale().select_related("organisation")[:20]
        )
        context["open_rounds"] = (
            Round.objects.visible_to(user).filter(closed_at__isnull=True).select_related("framework")
        )
        context["signals_waiting"] = Signal.objects.visible_to(user).filter(status=Signal.Status.NEW).count()
    if roles.is_administrator:
        context["user_count"] = User.objects.filter(is_active=True).count()
        context["organisation_count"] = Organisation.objects.count()
    return render(request, "home.html", context)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, also remembered on the account (for e-mails in that language)."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        User.objects.filter(pk=request.user.pk).update(language=language)
    return response


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database (and the broker, when one is configured) answer; 503 otherwise."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        checks["database"] = f"error: {exc.__class__.__name__}"
    if settings.REDIS_URL:
        try:
            import redis

            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
            checks["broker"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["broker"] = f"error: {exc.__class__.__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)
