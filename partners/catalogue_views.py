"""The catalogue pages.

Partner workers keep their own organisations' offers up to date (`Offer.objects.maintained_by`):
another organisation's offer answers 404. The network coordinator oversees the whole catalogue,
chases stale offers and exchanges it as Open Referral HSDS 3. As in the reflection pages, someone
outside the network's memberships gets 404, a member without the role 403.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import catalogue, hsds
from .filters import CatalogueFilter
from .forms import CatalogueUploadForm, OfferForm
from .models import Membership, Offer, Organisation
from .roles import roles_of

PAGE_SIZE = 50


def _refuse(user) -> None:
    if not Membership.objects.of(user).exists():
        raise Http404
    raise PermissionDenied


def _partner_organisations(user) -> tuple:
    organisations = roles_of(user).partner_organisations
    if not organisations:
        _refuse(user)
    return organisations


def _coordinator(user) -> None:
    if not roles_of(user).is_network_coordinator:
        _refuse(user)


def _maintained_offer(request: HttpRequest, pk: int) -> Offer:
    _partner_organisations(request.user)
    return get_object_or_404(Offer.objects.maintained_by(request.user).select_related("organisation"), pk=pk)


# ------------------------------------------------------------------------- partner workers


@login_required
def our_offers(request: HttpRequest) -> HttpResponse:
    organisations = _partner_organisations(request.user)
    offers = (
        Offer.objects.maintained_by(request.user)
        .with_staleness()
        .select_related("organisation")
        .order_by("-active", "organisation__name", "name")
    )
    return render(
        request,
        "partners/catalogue/our_offers.html",
        {"organisations": organisations, "offers": offers},
    )


def _offer_form_page(
    request: HttpRequest, form: OfferForm, offer: Offer | None, current=None
) -> HttpResponse:
    return render(
        request,
        "partners/catalogue/offer_form.html",
        {"form": form, "offer": offer, "current": current},
    )


@login_required
def offer_create(request: HttpRequest) -> HttpResponse:
    organisations = _partner_organisations(request.user)
    form = OfferForm(
        request.POST or None,
        organisations=_as_queryset(organisations),
        initial={"organisation": organisations[0]},
    )
    if request.method == "POST" and form.is_valid():
        catalogue.save_offer(form=form, by=request.user)
        messages.success(request, _("The offer is in the catalogue."))
        return redirect("catalogue:our_offers")
    return _offer_form_page(request, form, None)


def _as_queryset(organisations: tuple):
    return Organisation.objects.filter(pk__in=[o.pk for o in organisations])


@login_required
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _maintained_offer(request, pk)
    organisations = _as_queryset(roles_of(request.user).partner_organisations)
    form = OfferForm(request.POST or None, instance=offer, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            catalogue.save_offer(form=form, by=request.user)
        except catalogue.EditConflict as conflict:
            # Keep what was typed; carry the newer version so a second save is a deliberate choice.
            data = request.POST.copy()
            data["version"] = conflict.current.updated_at.isoformat()
            # A copy: validating the form writes the input onto its instance, and `current` is shown.
            form = OfferForm(data, instance=copy.copy(conflict.current), organisations=organisations)
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Someone else changed this offer after you opened it. Your input is kept below; "
                    "compare it with the current version and save again to replace it."
                ),
            )
            return _offer_form_page(request, form, offer, current=conflict.current)
        messages.success(request, _("The offer is saved and marked as verified today."))
        return redirect("catalogue:our_offers")
    return _offer_form_page(request, form, offer)


@login_required
@require_POST
def offer_verify(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _maintained_offer(request, pk)
    catalogue.verify_offer(offer=offer, by=request.user)
    messages.success(request, _("Thank you: “%(name)s” is marked as still correct.") % {"name": offer.name})
    if request.POST.get("back") == "edit":
        return redirect("catalogue:offer_edit", pk=offer.pk)
    return redirect("catalogue:our_offers")


@login_required
@require_POST
def offer_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _maintained_offer(request, pk)
    active = request.POST.get("active") == "1"
    catalogue.set_offer_active(offer=offer, active=active, by=request.user)
    if active:
        messages.success(request, _("“%(name)s” is back in the catalogue.") % {"name": offer.name})
    else:
        messages.success(request, _("“%(name)s” is no longer in the catalogue.") % {"name": offer.name})
    return redirect("catalogue:our_offers")


# ------------------------------------------------------------------------ network coordinator


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    _coordinator(request.user)
    offers = (
        Offer.objects.filter(active=True)
        .with_staleness()
        .select_related("organisation")
        .prefetch_related("need_domains")
        .order_by("organisation__name", "name", "pk")
    )
    catalogue_filter = CatalogueFilter(request.GET or None, queryset=offers)
    page = Paginator(catalogue_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partners/catalogue/overview.html",
        {
            "filter": catalogue_filter,
            "page": page,
            "query": query.urlencode(),
            "total": offers.count(),
            "stale_count": Offer.objects.filter(active=True).stale().count(),
        },
    )


@login_required
def stale_offers(request: HttpRequest) -> HttpResponse:
    _coordinator(request.user)
    offers = (
        Offer.objects.filter(active=True)
        .stale()
        .select_related("organisation")
        .order_by("verified_at", "organisation__name", "name")
    )
    return render(request, "partners/catalogue/stale_offers.html", {"offers": offers})


@login_required
def export(request: HttpRequest) -> HttpResponse:
    _coordinator(request.user)
    response = HttpResponse(hsds.export_json(), content_type="application/json; charset=utf-8")
    filename = f"catalogue-hsds-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    _coordinator(request.user)
    form = CatalogueUploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    summary = None
    if request.method == "POST" and form.is_valid():
        try:
            summary = hsds.import_json(form.cleaned_data["file"].read(), dry_run=form.cleaned_data["dry_run"])
        except hsds.ImportRefused as refused:
            errors = refused.errors
    return render(
        request,
        "partners/catalogue/upload.html",
        {"form": form, "errors": errors, "summary": summary},
    )
