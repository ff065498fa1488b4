from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from families.models import Child, Family, Guardian
from partners.models import Role
from village import gate
from village.audit import log_access

from .lifecycle import RECEIVING, allowed_actions, may_act
from .models import Referral, ReferralEvent
from .partner_forms import PARTNER_ACTIONS, PartnerActionForm


@login_required
def referral_detail(request, pk: int):
    """A referral: its status for everyone who may see it; its content (family, question, domains,
    events) only while the gate allows it at this moment."""
    referral = get_object_or_404(
        Referral.objects.visible_to(request.user).select_related(
            "receiving_organisation", "offer", "referring_team", "suggested_offer"
        ),
        pk=pk,
    )
    return render_referral_detail(request, referral)


def _partner_identity(user, referral: Referral) -> dict:
    """What the receiving organisation may know of the family ("identity only", DESIGN.md §5),
    each piece through its own gate. Only called while the referral's content is visible."""
    child = None
    if referral.child_id:
        child = Child.objects.visible_to(user).filter(pk=referral.child_id).first()
    return {
        "family": Family.objects.identity_visible_to(user).filter(pk=referral.family_id).first(),
        "guardians": list(Guardian.objects.visible_to(user).filter(family_id=referral.family_id)),
        "child": child,
        "child_age": child.age_on() if child else None,
    }


def render_referral_detail(
    request: HttpRequest,
    referral: Referral,
    *,
    failed_action: str | None = None,
    failed_form: PartnerActionForm | None = None,
) -> HttpResponse:
    """The detail page, also re-rendered by an action that was refused: then `failed_form` (bound,
    with the user's input and the reason) replaces the fresh form of `failed_action`, and is shown
    even when the action is no longer offered, so nothing the user typed is lost."""
    user = request.user
    content_visible = gate.may_see(user, "referral_content", referral)
    is_referring = (
        user.memberships.active()
        .filter(organisation_id=referral.referring_team_id, role=Role.BRIDGE_FIGURE)
        .exists()
    )
    is_receiving = not is_referring or may_act(user, referral, RECEIVING)
    role = Role.BRIDGE_FIGURE if is_referring else Role.PARTNER_WORKER
    organisation_id = referral.referring_team_id if is_referring else referral.receiving_organisation_id
    log_access(
        user=user, obj=referral, role=role, family_id=referral.family_id, organisation_id=organisation_id
    )
    actions = allowed_actions(user, referral)
    action_forms = []
    for action, (form_class, label, heading) in PARTNER_ACTIONS.items():
        if action == failed_action and failed_form is not None:
            form = failed_form
        elif action in actions:
            form = form_class(prefix=action, initial={"version": referral.version})
        else:
            continue
        action_forms.append({"action": action, "label": label, "heading": heading, "form": form})
    context = {
        "referral": referral,
        "content_visible": content_visible,
        "is_receiving": is_receiving,
        "identity": _partner_identity(user, referral) if content_visible and is_receiving else None,
        "events": ReferralEvent.objects.visible_to(user).filter(referral=referral).select_related("by")
        if content_visible
        else ReferralEvent.objects.none(),
        "actions": actions,
        "action_forms": action_forms,
    }
    return render(request, "referrals/referral_detail.html", context)
