"""The bridge figure's family pages: the caseload list, opening a file with consent, the file itself
(consents, timeline, who looked), and the contact-moment quick log. Every page starts from the
scoped querysets of families/models.py; anything outside them answers 404."""

from __future__ import annotations

import datetime
import itertools

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import Membership, Role
from partners.roles import roles_of
from referrals.models import Referral
from village.audit import log_access, reads_of_family
from village.forms import add_action_errors

from . import actions
from .filters import FamilyFilter
from .forms import (
    ChildAddForm,
    ChildEditForm,
    ChildFormSet,
    ContactMomentForm,
    FamilyEditForm,
    FamilyForm,
    GuardianEditForm,
    GuardianForm,
    RegisterConsentForm,
    RenewConsentForm,
    WithdrawConsentForm,
)
from .models import Child, Consent, ConsentScope, ContactMoment, Family, Guardian


def bridge_team_of(request):
    """The bridge team the user works for; only bridge figures reach these pages (404 otherwise)."""
    roles = roles_of(request.user)
    request._village_roles = roles
    if not roles.bridge_teams:
        raise Http404
    return roles.bridge_teams[0]


@login_required
def family_list(request):
    """The team's families, filtered and paginated."""
    bridge_team_of(request)
    user = request.user
    families = (
        Family.objects.visible_to(user)
        .with_visible_guardians(user)
        .select_related("primary_bridge_figure")
        .order_by("-last_activity_at", "pk")
    )
    family_filter = FamilyFilter(request.GET or None, queryset=families, user=user)
    page = Paginator(family_filter.qs, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "families/family_list.html",
        {"filter": family_filter, "page": page, "query": query.urlencode()},
    )


@login_required
def family_create(request):
    """Open a family file: the family, a guardian, the children, and the `register` consent."""
    team = bridge_team_of(request)
    data = request.POST if request.method == "POST" else None
    family_form = FamilyForm(data, prefix="family")
    guardian_form = GuardianForm(data, prefix="guardian")
    children = ChildFormSet(data, prefix="children")
    consent_form = RegisterConsentForm(data, prefix="consent")
    if request.method == "POST" and all(
        form.is_valid() for form in (family_form, guardian_form, children, consent_form)
    ):
        given_on = consent_form.cleaned_data["given_on"]
        now = timezone.now()
        given_at = (
            now
            if given_on == timezone.localdate()
            else timezone.make_aware(datetime.datetime.combine(given_on, datetime.time(12)))
        )
        try:
            family = actions.create_family(
                team=team,
                by=request.user,
                **family_form.cleaned_data,
                guardians=[guardian_form.cleaned_data],
                children=[form.cleaned_data for form in children if form.has_changed() and form.cleaned_data],
                consent_method=consent_form.cleaned_data["method"],
                given_at=given_at,
            )
        except ValidationError as error:
            add_action_errors(consent_form, error)
        else:
            messages.success(request, _("The family file was opened."))
            return redirect("family_detail", family.pk)
    return render(
        request,
        "families/family_form.html",
        {
            "family_form": family_form,
            "guardian_form": guardian_form,
            "children": children,
            "consent_form": consent_form,
            "team": team,
        },
    )


def _visible_family(request, pk: int) -> Family:
    user = request.user
    return get_object_or_404(
        Family.objects.visible_to(user)
        .with_visible_guardians(user)
        .select_related("holding_team", "primary_bridge_figure"),
        pk=pk,
    )


@login_required
def family_detail(request, pk: int):
    """The family file, for the bridge team holding it while `register` consent is active."""
    user = request.user
    family = _visible_family(request, pk)
    log_access(
        user=user,
        obj=family,
        role=Role.BRIDGE_FIGURE,
        family_id=family.pk,
        organisation_id=family.holding_team_id,
    )
    children = list(Child.objects.visible_to(user).filter(family=family).select_related("school"))
    hidden_children = family.children.count() - len(children)
    consents = list(
        Consent.objects.visible_to(user)
        .filter(family=family)
        .select_related("recipient", "child", "guardian")
    )
    moments = list(
        ContactMoment.objects.visible_to(user)
        .filter(family=family)
        .select_related("bridge_figure", "school")
        .prefetch_related("topics")[:50]
    )
    referrals = list(
        Referral.objects.content_visible_to(user)
        .filter(family=family)
        .select_related("receiving_organisation", "child")
        .prefetch_related(Prefetch("need_domains"))
    )
    timeline = sorted(
        itertools.chain(
            ({"kind": "moment", "at": m.happened_on, "item": m} for m in moments),
            ({"kind": "referral", "at": timezone.localdate(r.created_at), "item": r} for r in referrals),
            ({"kind": "consent", "at": timezone.localdate(c.given_at), "item": c} for c in consents),
        ),
        key=lambda entry: entry["at"],
        reverse=True,
    )
    context = {
        "family": family,
        "guardians": family.guardians.all(),  # prefetched through the gate
        "visible_child_ids": {child.pk for child in children},
        "children": children,
        "hidden_children": hidden_children,
        "consents": consents,
        "referrals": referrals,
        "timeline": timeline,
        "reads": reads_of_family(family.pk)[:20],
    }
    return render(request, "families/family_detail.html", context)


def _visible_consent(request, pk: int, consent_pk: int) -> tuple[Family, Consent]:
    family = _visible_family(request, pk)
    consent = get_object_or_404(
        Consent.objects.visible_to(request.user).filter(family=family).select_related("recipient", "child"),
        pk=consent_pk,
    )
    return family, consent


@login_required
def consent_withdraw(request, pk: int, consent_pk: int):
    """Confirm, then withdraw. Withdrawing `register` anonymises the family file at once."""
    family, consent = _visible_consent(request, pk, consent_pk)
    form = WithdrawConsentForm(request.POST or None)
    closes_file = consent.scope == ConsentScope.REGISTER and consent.child_id is None
    if request.method == "POST" and form.is_valid():
        try:
            actions.withdraw_consent(consent=consent, by=request.user, reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionError) as error:
            form.add_error(None, error if isinstance(error, ValidationError) else str(error))
        else:
            if closes_file:
                messages.success(request, _("The consent was withdrawn and the family file was closed."))
                return redirect("home")
            messages.success(request, _("The consent was withdrawn."))
            return redirect("family_detail", family.pk)
    return render(
        request,
        "families/consent_withdraw.html",
        {"family": family, "consent": consent, "form": form, "closes_file": closes_file},
    )


@login_required
def consent_renew(request, pk: int, consent_pk: int):
    """Record the same agreement again (a new record pointing to the one it renews)."""
    family, consent = _visible_consent(request, pk, consent_pk)
    form = RenewConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_consent(
                family=family,
                scope=consent.scope,
                recipient=consent.recipient,
                given_by=consent.given_by,
                guardian=consent.guardian,
                child=consent.child,
                young_person_agreed=consent.young_person_agreed,
                method=form.cleaned_data["method"],
                recorded_by=request.user,
                renews=consent,
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The consent was renewed."))
            return redirect("family_detail", family.pk)
    return render(
        request, "families/consent_renew.html", {"family": family, "consent": consent, "form": form}
    )


@login_required
def contact_moment_create(request):
    """The quick log: one screen, sensible defaults, done in under 30 seconds on a phone."""
    team = bridge_team_of(request)
    user = request.user
    families = Family.objects.visible_to(user).filter(holding_team=team).with_visible_guardians(user)
    initial = {}
    if family_pk := request.GET.get("family"):
        initial["family"] = families.filter(pk=family_pk).first()
    form = ContactMomentForm(request.POST or None, families=families, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.log_contact_moment(team=team, by=user, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The contact moment was logged."))
            family = form.cleaned_data.get("family")
            return redirect("family_detail", family.pk) if family else redirect("home")
    return render(request, "families/contact_moment_form.html", {"form": form})


def _bridge_figures_of(team):
    """The users who work as bridge figure for `team` today (choices of the primary bridge figure)."""
    active = Membership.objects.active().filter(organisation=team, role=Role.BRIDGE_FIGURE)
    return get_user_model().objects.filter(pk__in=active.values("user_id")).order_by("full_name", "pk")


@login_required
def family_edit(request, pk: int):
    """Change the family's details; only the bridge team holding the file reaches this page."""
    family = _visible_family(request, pk)
    form = FamilyEditForm(
        request.POST or None, instance=family, bridge_figures=_bridge_figures_of(family.holding_team)
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            actions.update_family(family=family, by=request.user, **fields)
        except ValidationError as error:
            add_action_errors(form, error)
        except PermissionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The family details were saved."))
            return redirect("family_detail", family.pk)
    return render(request, "families/family_edit.html", {"family": family, "form": form})


@login_required
def guardian_form(request, pk: int, guardian_pk: int | None = None):
    """Add a parent or guardian, or change one the gate shows (404 otherwise)."""
    family = _visible_family(request, pk)
    guardian = None
    initial = {}
    if guardian_pk is not None:
        guardian = get_object_or_404(
            Guardian.objects.visible_to(request.user).filter(family=family), pk=guardian_pk
        )
        initial = {name: getattr(guardian, name) for name in actions.GUARDIAN_FIELDS}
    form = GuardianEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if guardian is None:
                actions.add_guardian(family=family, by=request.user, **form.cleaned_data)
            else:
                actions.update_guardian(guardian=guardian, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        except PermissionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The parent or guardian was saved."))
            return redirect("family_detail", family.pk)
    return render(
        request, "families/guardian_form.html", {"family": family, "guardian": guardian, "form": form}
    )


@login_required
def child_add(request, pk: int):
    """Add a child; a young person of 12+ is shown only once their own agreement is recorded."""
    family = _visible_family(request, pk)
    form = ChildAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            child = actions.add_child(family=family, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        except PermissionError as error:
            form.add_error(None, str(error))
        else:
            if Child.objects.visible_to(request.user).filter(pk=child.pk).exists():
                messages.success(request, _("The child was added."))
            else:
                messages.warning(
                    request,
                    _(
                        "The child was added but stays hidden in the file: they are 12 or older "
                        "and their own agreement has not been recorded."
                    ),
                )
            return redirect("family_detail", family.pk)
    return render(request, "families/child_form.html", {"family": family, "child": None, "form": form})


@login_required
def child_edit(request, pk: int, child_pk: int):
    """Change a child the gate shows (404 otherwise)."""
    family = _visible_family(request, pk)
    child = get_object_or_404(Child.objects.visible_to(request.user).filter(family=family), pk=child_pk)
    initial = {name: getattr(child, name) for name in actions.CHILD_FIELDS}
    form = ChildEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_child(child=child, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        except PermissionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The child was saved."))
            return redirect("family_detail", family.pk)
    return render(request, "families/child_form.html", {"family": family, "child": child, "form": form})
