"""The people pages of the administrator and the network coordinator: who works where in which
role, inviting someone, and switching a membership off. Anyone else gets 404. Accounts only:
nothing on these pages leads to family data."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from village.forms import add_action_errors

from .models import Organisation
from .people import deactivate_membership, invite_person, may_manage_people, people_visible_to
from .people_forms import InvitationForm, PeopleFilterForm

PAGE_SIZE = 50


def _require_manager(request: HttpRequest) -> None:
    if not may_manage_people(request.user):
        raise Http404


@login_required
def people_list(request: HttpRequest) -> HttpResponse:
    """The active members of the network's organisations, by organisation, with their roles."""
    _require_manager(request)
    memberships = people_visible_to(request.user).order_by(
        "organisation__name", "organisation_id", "user__full_name", "user__email", "role"
    )
    filter_form = PeopleFilterForm(request.GET or None)
    organisation = None
    if filter_form.is_valid():
        organisation = filter_form.cleaned_data["organisation"]
        if organisation:
            memberships = memberships.filter(organisation=organisation)
        if query := filter_form.cleaned_data["q"].strip():
            memberships = memberships.filter(
                Q(user__full_name__icontains=query) | Q(user__email__icontains=query)
            )
    page = Paginator(memberships, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partners/people/people_list.html",
        {"filter_form": filter_form, "page": page, "query": query.urlencode(), "organisation": organisation},
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_invite(request: HttpRequest) -> HttpResponse:
    """Invite someone into an organisation in a role (`?organisation=<pk>` preselects one)."""
    _require_manager(request)
    organisation = None
    organisation_pk = request.GET.get("organisation", "")
    if organisation_pk.isdigit():
        organisation = Organisation.objects.filter(active=True, pk=organisation_pk).first()
    form = InvitationForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = invite_person(
                email=data["email"],
                name=data["name"],
                organisation=data["organisation"],
                role=data["role"],
                language=data["language"],
                by=request.user,
            )
        except ValidationError as refusal:
            add_action_errors(form, refusal)
        else:
            messages.success(
                request,
                _("%(person)s now works in %(organisation)s as %(role)s. An e-mail is on its way.")
                % {
                    "person": membership.user,
                    "organisation": membership.organisation,
                    "role": membership.get_role_display(),
                },
            )
            return redirect("people_list")
    return render(request, "partners/people/person_invite.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def membership_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for confirmation (GET), then switch the membership off (POST). The account stays."""
    _require_manager(request)
    membership = get_object_or_404(people_visible_to(request.user), pk=pk)
    error = ""
    if request.method == "POST":
        try:
            deactivate_membership(membership=membership, by=request.user)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(
                request,
                _("%(person)s no longer works in %(organisation)s as %(role)s.")
                % {
                    "person": membership.user,
                    "organisation": membership.organisation,
                    "role": membership.get_role_display(),
                },
            )
            return redirect("people_list")
    return render(
        request, "partners/people/membership_deactivate.html", {"membership": membership, "error": error}
    )
