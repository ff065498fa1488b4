"""Saving a draft referral (the bridge figure's side before `send_referral`): one transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from families.models import Family
from partners.models import Role

from .models import Referral, Status

DRAFT_FIELDS = (
    "child",
    "offer",
    "receiving_organisation",
    "receiving_contact",
    "warmth",
    "source",
    "question",
)


@transaction.atomic
def save_draft_referral(*, family: Family, by, data: dict, referral: Referral | None = None) -> Referral:
    """Create a draft, or change one that is still a draft. Only the family's own bridge team."""
    if not by.memberships.active().filter(organisation=family.holding_team, role=Role.BRIDGE_FIGURE).exists():
        raise PermissionError(_("Only a bridge figure of this team can do this."))
    if referral is None:
        referral = Referral(family=family, referring_team=family.holding_team, created_by=by)
    else:
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        if referral.status != Status.DRAFT:
            raise ValidationError(_("Only a draft can be changed; this referral was already sent."))
        referral.version += 1
    if data.get("child") is not None and data["child"].family_id != family.pk:
        raise ValidationError({"child": _("This child is not part of this family.")})
    for field in DRAFT_FIELDS:
        if field in data:
            value = data[field]
            setattr(
                referral, field, "" if value is None and field in {"question", "receiving_contact"} else value
            )
    referral.save()
    referral.need_domains.set(data.get("need_domains") or [])
    return referral
