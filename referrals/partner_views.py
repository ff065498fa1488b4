"""The partner worker's pages: the inbox of referrals to their organisation(s), and the answers
(accept, decline, waiting list, contact made, support started, close) posted from the referral's
page. Every referral is fetched through the gate (404 outside it); identity is shown only while
the family's `refer` consent allows it."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import Role, organisations_of
from partners.roles import roles_of
from village.forms import add_action_errors

from .lifecycle import (
    ConcurrentChange,
    accept_referral,
    close_referral,
    decline_referral,
    put_on_waiting_list,
    record_contact,
    start_support,
)
from .models import Referral, Status
from .partner_forms import INBOX_GROUP_LABELS, INBOX_GROUPS, PARTNER_ACTIONS, InboxFilter
from .views import render_referral_detail

CLOSED_PREVIEW = 10
CLOSED_PAGE_SIZE = 25

LIFECYCLE: dict[str, Callable[..., Referral]] = {
    "accept": accept_referral,
    "decline": decline_referral,
    "put_on_waiting_list": put_on_waiting_list,
    "record_contact": record_contact,
    "start": start_support,
    "close": close_referral,
}


def received_referrals(user):
    """Referrals sent to the user's partner organisations (never drafts, even when the user also
    belongs to the referring team), annotated with whether their content may be read now."""
    return (
        Referral.objects.visible_to(user)
        .filter(receiving_organisation_id__in=organisations_of(user, Role.PARTNER_WORKER))
        .exclude(status=Status.DRAFT)
        .annotate(content_visible=Exists(Referral.objects.content_visible_to(user).filter(pk=OuterRef("pk"))))
    )


def _with_identity(referrals) -> list[Referral]:
    """Give each row the one label the inbox may print about the family: reference and child's
    name while consent allows, nothing otherwise (the template never reads family or child)."""
    rows = list(referrals)
    for referral in rows:
        if referral.content_visible:
            child = f" · {referral.child}" if referral.child_id else ""
            referral.identity_label = f"{referral.family.reference}{child}"
        else:
            referral.identity_label = ""
    return rows


@login_required
def partner_inbox(request: HttpRequest) -> HttpResponse:
    """New, waiting, active and closed referrals to my organisation(s)."""
    user = request.user
    roles = roles_of(user)
    request._village_roles = roles
    if not roles.is_partner_worker:
        raise Http404
    referrals = received_referrals(user).select_related("family", "child", "receiving_organisation")
    inbox_filter = InboxFilter(
        request.GET or None, queryset=referrals, organisations=roles.partner_organisations
    )
    found = inbox_filter.qs
    group = inbox_filter.form.cleaned_data.get("group") if inbox_filter.is_bound else ""
    closed_statuses = INBOX_GROUPS["closed"]

    by_group: dict[str, list[Referral]] = {key: [] for key in INBOX_GROUPS}
    if group != "closed":
        for referral in _with_identity(found.exclude(status__in=closed_statuses).order_by("sent_at", "pk")):
            key = next(key for key, statuses in INBOX_GROUPS.items() if referral.status in statuses)
            by_group[key].append(referral)

    closed = found.filter(status__in=closed_statuses).order_by("-sent_at", "-pk")
    closed_page = None
    more_closed = False
    if group == "closed":
        closed_page = Paginator(closed, CLOSED_PAGE_SIZE).get_page(request.GET.get("page"))
        by_group["closed"] = _with_identity(closed_page)
    elif not group:
        preview = _with_identity(closed[: CLOSED_PREVIEW + 1])
        more_closed = len(preview) > CLOSED_PREVIEW
        by_group["closed"] = preview[:CLOSED_PREVIEW]

    shown = [group] if group else list(INBOX_GROUPS)
    query = request.GET.copy()
    query.pop("page", None)
    show_all_closed = request.GET.copy()
    show_all_closed["group"] = "closed"
    show_all_closed.pop("page", None)
    return render(
        request,
        "referrals/partner_inbox.html",
        {
            "filter": inbox_filter,
            "groups": [
                {"key": key, "label": INBOX_GROUP_LABELS[key], "referrals": by_group[key]} for key in shown
            ],
            "closed_page": closed_page,
            "more_closed": more_closed,
            "show_all_closed_query": show_all_closed.urlencode(),
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "several_organisations": len(roles.partner_organisations) > 1,
        },
    )


@login_required
def referral_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One answer of the receiving organisation, posted from the referral's page. A refusal
    (illegal move, or a colleague changed the referral meanwhile) re-renders that page with the
    user's input and the reason; nothing is applied."""
    if action not in PARTNER_ACTIONS:
        raise Http404
    user = request.user
    referral = get_object_or_404(
        received_referrals(user).select_related(
            "receiving_organisation", "offer", "referring_team", "suggested_offer"
        ),
        pk=pk,
    )
    if request.method != "POST":
        return redirect("referral_detail", referral.pk)
    form_class = PARTNER_ACTIONS[action][0]
    form = form_class(request.POST, prefix=action)
    if form.is_valid():
        try:
            LIFECYCLE[action](
                referral, by=user, expected_version=form.cleaned_data["version"], **form.action_kwargs()
            )
        except ConcurrentChange:
            referral.refresh_from_db()
            # The user now sees the current status: their retry is checked against this version.
            data = request.POST.copy()
            data[form.add_prefix("version")] = str(referral.version)
            form = form_class(data, prefix=action)
            form.is_valid()
            form.add_error(
                None,
                ValidationError(
                    _(
                        "This referral changed meanwhile (it is now “%(status)s”). Nothing was saved. "
                        "Your input is kept below: check it and try again."
                    )
                    % {"status": referral.get_status_display()},
                    code="concurrent_change",
                ),
            )
        except ValidationError as error:
            referral.refresh_from_db()
            add_action_errors(form, error)
        else:
            messages.success(
                request,
                _("Saved: the referral is now “%(status)s”.") % {"status": referral.get_status_display()},
            )
            return redirect("referral_detail", referral.pk)
    return render_referral_detail(request, referral, failed_action=action, failed_form=form)
