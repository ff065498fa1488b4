from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from partners.models import Role
from village import gate
from village.audit import log_access

from .lifecycle import allowed_actions
from .models import Referral, ReferralEvent


@login_required
def referral_detail(request, pk: int):
    """A referral: its status for everyone who may see it; its content (family, question, domains,
    events) only while the gate allows it at this moment."""
    user = request.user
    referral = get_object_or_404(
        Referral.objects.visible_to(user).select_related("receiving_organisation", "offer", "referring_team"),
        pk=pk,
    )
    content_visible = gate.may_see(user, "referral_content", referral)
    is_referring = (
        user.memberships.active()
        .filter(organisation_id=referral.referring_team_id, role=Role.BRIDGE_FIGURE)
        .exists()
    )
    role = Role.BRIDGE_FIGURE if is_referring else Role.PARTNER_WORKER
    organisation_id = referral.referring_team_id if is_referring else referral.receiving_organisation_id
    log_access(
        user=user, obj=referral, role=role, family_id=referral.family_id, organisation_id=organisation_id
    )
    context = {
        "referral": referral,
        "content_visible": content_visible,
        "events": ReferralEvent.objects.visible_to(user).filter(referral=referral).select_related("by")
        if content_visible
        else ReferralEvent.objects.none(),
        "actions": allowed_actions(user, referral),
    }
    return render(request, "referrals/referral_detail.html", context)
