from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from partners.models import Role
from village.audit import log_access, reads_of_family

from .models import Child, Consent, Family


@login_required
def family_detail(request, pk: int):
    """The family file, for the bridge team holding it while `register` consent is active."""
    user = request.user
    family = get_object_or_404(
        Family.objects.visible_to(user)
        .with_visible_guardians(user)
        .select_related("holding_team", "primary_bridge_figure"),
        pk=pk,
    )
    log_access(
        user=user,
        obj=family,
        role=Role.BRIDGE_FIGURE,
        family_id=family.pk,
        organisation_id=family.holding_team_id,
    )
    children = Child.objects.visible_to(user).filter(family=family).select_related("school")
    hidden_children = family.children.count() - len(children)
    context = {
        "family": family,
        "guardians": family.guardians.all(),  # prefetched through the gate
        "visible_child_ids": {child.pk for child in children},
        "children": children,
        "hidden_children": hidden_children,
        "consents": Consent.objects.visible_to(user)
        .filter(family=family)
        .select_related("recipient", "child", "guardian"),
        "reads": reads_of_family(family.pk)[:20],
    }
    return render(request, "families/family_detail.html", context)
