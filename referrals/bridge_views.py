"""The bridge figure's referral pages: draft a warm referral from the catalogue, record the
`refer` consent on the spot, review and send, withdraw, follow up; and the school requests of
the schools the team covers. Every object is fetched through the gate (404 outside it)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from families import actions as family_actions
from families.models import Child, ConsentScope, Family, Guardian
from partners.models import Offer, Role, organisations_of, schools_covered_by_team_of
from partners.roles import roles_of
from village.forms import add_action_errors

from . import requests as school_requests
from .drafts import save_draft_referral
from .forms import (
    FollowUpForm,
    LinkSchoolRequestForm,
    OfferFilter,
    ReferConsentForm,
    ReferralForm,
    VersionForm,
)
from .lifecycle import record_follow_up, send_referral, withdraw_referral
from .models import Referral, SchoolRequest, Status, refer_consent_exists

CATALOGUE_SIZE = 30


def own_referrals(user):
    """Referrals of the user's bridge teams whose content the user may read now."""
    return Referral.objects.content_visible_to(user).filter(
        referring_team_id__in=organisations_of(user, Role.BRIDGE_FIGURE)
    )


def _own_referral(request, pk: int) -> Referral:
    return get_object_or_404(
        own_referrals(request.user).select_related("family", "child", "receiving_organisation", "offer"),
        pk=pk,
    )


def _catalogue(request):
    offers = Offer.objects.filter(active=True).select_related("organisation").prefetch_related("need_domains")
    catalogue = OfferFilter(request.GET or None, queryset=offers)
    found = list(catalogue.qs.order_by("name", "pk")[:CATALOGUE_SIZE])
    stale = set(Offer.objects.filter(pk__in=[o.pk for o in found]).stale().values_list("pk", flat=True))
    for offer in found:
        offer.is_stale = offer.pk in stale
    return catalogue, found


def _referral_form_page(request, *, family: Family, referral: Referral | None):
    user = request.user
    children = Child.objects.visible_to(user).filter(family=family)
    catalogue, offers = _catalogue(request)
    if referral is not None and referral.offer_id and referral.offer not in offers:
        referral.offer.is_stale = Offer.objects.filter(pk=referral.offer_id).stale().exists()
        offers.insert(0, referral.offer)
    form = ReferralForm(
        request.POST or None, instance=referral, family=family, children=children, offers=offers
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_draft_referral(family=family, by=user, data=form.cleaned_data, referral=referral)
        except (ValidationError, PermissionError) as error:
            add_action_errors(form, error)
        else:
            if "save_draft" in request.POST:
                messages.success(request, _("The draft was saved."))
                return redirect("family_detail", family.pk)
            return redirect("referral_review", saved.pk)
    selected_offer = str(form["offer"].value() or "")
    return render(
        request,
        "referrals/referral_form.html",
        {
            "family": family,
            "referral": referral,
            "form": form,
            "catalogue": catalogue,
            "offers": offers,
            "selected_offer": selected_offer,
        },
    )


@login_required
def referral_create(request, family_pk: int):
    user = request.user
    family = get_object_or_404(Family.objects.visible_to(user).with_visible_guardians(user), pk=family_pk)
    return _referral_form_page(request, family=family, referral=None)


@login_required
def referral_edit(request, pk: int):
    referral = _own_referral(request, pk)
    if referral.status != Status.DRAFT:
        messages.info(request, _("This referral was already sent; it can no longer be changed."))
        return redirect("referral_detail", referral.pk)
    family = get_object_or_404(
        Family.objects.visible_to(request.user).with_visible_guardians(request.user), pk=referral.family_id
    )
    return _referral_form_page(request, family=family, referral=referral)


def _has_refer_consent(referral: Referral) -> bool:
    return Referral.objects.filter(pk=referral.pk).filter(refer_consent_exists()).exists()


@login_required
def referral_review(request, pk: int):
    """Review a draft, record the `refer` consent if it is missing, and send."""
    user = request.user
    referral = _own_referral(request, pk)
    if referral.status != Status.DRAFT:
        return redirect("referral_detail", referral.pk)
    guardians = Guardian.objects.visible_to(user).filter(family=referral.family_id)
    consent_form = ReferConsentForm(prefix="consent", guardians=guardians)
    send_form = VersionForm(initial={"version": referral.version}, prefix="send")
    if request.method == "POST":
        send_form = VersionForm(request.POST, prefix="send")
        if send_form.is_valid():
            try:
                send_referral(referral, by=user, expected_version=send_form.cleaned_data["version"])
            except ValidationError as error:
                add_action_errors(send_form, error)
            else:
                messages.success(request, _("The referral was sent."))
                return redirect("referral_detail", referral.pk)
    return render(
        request,
        "referrals/referral_review.html",
        {
            "referral": referral,
            "has_consent": _has_refer_consent(referral),
            "young_person": referral.child is not None and referral.child.is_young_person(),
            "consent_form": consent_form,
            "send_form": send_form,
        },
    )


@login_required
def referral_consent(request, pk: int):
    """Record the family's `refer` consent for the receiving organisation, right in the review."""
    user = request.user
    referral = _own_referral(request, pk)
    if referral.status != Status.DRAFT or request.method != "POST":
        return redirect("referral_review", referral.pk)
    guardians = Guardian.objects.visible_to(user).filter(family=referral.family_id)
    form = ReferConsentForm(request.POST, prefix="consent", guardians=guardians)
    if form.is_valid():
        data = form.cleaned_data
        try:
            family_actions.record_consent(
                family=referral.family,
                scope=ConsentScope.REFER,
                recipient=referral.receiving_organisation,
                given_by=data["given_by"],
                guardian=data["guardian"] if data["given_by"] == "guardian" else None,
                child=referral.child,
                young_person_agreed=data["young_person_agreed"],
                method=data["method"],
                recorded_by=user,
            )
        except (ValidationError, PermissionError) as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The consent was recorded."))
            return redirect("referral_review", referral.pk)
    return render(
        request,
        "referrals/referral_review.html",
        {
            "referral": referral,
            "has_consent": False,
            "young_person": referral.child is not None and referral.child.is_young_person(),
            "consent_form": form,
            "send_form": VersionForm(initial={"version": referral.version}, prefix="send"),
        },
    )


@login_required
def referral_withdraw(request, pk: int):
    referral = _own_referral(request, pk)
    form = VersionForm(request.POST or None, initial={"version": referral.version})
    if request.method == "POST" and form.is_valid():
        try:
            withdraw_referral(
                referral,
                by=request.user,
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The referral was withdrawn."))
            return redirect("referral_detail", referral.pk)
    return render(request, "referrals/referral_withdraw.html", {"referral": referral, "form": form})


@login_required
def referral_follow_up(request, pk: int):
    """ "Was this what you expected?" — "not the right place" opens a linked re-referral."""
    referral = _own_referral(request, pk)
    form = FollowUpForm(request.POST or None, initial={"version": referral.version})
    if request.method == "POST" and form.is_valid():
        try:
            again = record_follow_up(
                referral,
                by=request.user,
                result=form.cleaned_data["result"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            if again is not None:
                messages.success(request, _("A new referral was started. Choose a better place."))
                return redirect("referral_edit", again.pk)
            messages.success(request, _("The follow-up was recorded."))
            return redirect("referral_detail", referral.pk)
    return render(request, "referrals/referral_follow_up.html", {"referral": referral, "form": form})


# --------------------------------------------------------------------------- school requests


def _covered_requests(user):
    return SchoolRequest.objects.visible_to(user).filter(school_id__in=schools_covered_by_team_of(user))


@login_required
def school_request_list(request):
    user = request.user
    roles = roles_of(user)
    request._village_roles = roles
    if not roles.is_bridge_figure:
        raise Http404
    since = timezone.now() - timezone.timedelta(days=30)
    requests_ = (
        _covered_requests(user)
        .exclude(status=SchoolRequest.Status.HANDLED, handled_at__lt=since)
        .select_related("school", "family")
        .order_by("status", "-created_at")
    )
    return render(request, "referrals/school_request_list.html", {"school_requests": requests_})


def _school_request_action(request, pk: int, action, success: str):
    school_request = get_object_or_404(_covered_requests(request.user), pk=pk)
    if request.method != "POST":
        return redirect("school_request_list")
    try:
        action(school_request=school_request, by=request.user)
    except (ValidationError, PermissionError) as error:
        messages.error(
            request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        )
    else:
        messages.success(request, success)
    return redirect("school_request_list")


@login_required
def school_request_pick_up(request, pk: int):
    return _school_request_action(
        request, pk, school_requests.pick_up_school_request, _("You picked up the request.")
    )


@login_required
def school_request_handled(request, pk: int):
    return _school_request_action(
        request, pk, school_requests.mark_school_request_handled, _("The request was marked as handled.")
    )


@login_required
def school_request_link(request, pk: int):
    user = request.user
    school_request = get_object_or_404(_covered_requests(user).select_related("school"), pk=pk)
    form = LinkSchoolRequestForm(
        request.POST or None,
        families=Family.objects.visible_to(user).with_visible_guardians(user),
        referrals=own_referrals(user).select_related("family", "receiving_organisation"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            school_requests.link_school_request(school_request=school_request, by=user, **form.cleaned_data)
        except (ValidationError, PermissionError) as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The request was linked."))
            return redirect("school_request_list")
    return render(
        request, "referrals/school_request_link.html", {"school_request": school_request, "form": form}
    )
