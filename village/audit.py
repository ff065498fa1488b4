"""The access log: every detail view of a family file or a referral calls `log_access`."""

from __future__ import annotations

from django.db.models import Model

from .models import AccessLog


def log_access(
    *,
    user,
    obj: Model,
    role: str,
    family_id: int | None = None,
    organisation_id: int | None = None,
    action: str = AccessLog.Action.VIEW,
) -> AccessLog:
    """Record that `user`, acting as `role`, read (or exported, erased) `obj`."""
    return AccessLog.objects.create(
        user=user,
        role=role,
        organisation_id=organisation_id,
        action=action,
        object_type=obj._meta.model_name,
        object_id=obj.pk,
        family_id=family_id,
    )


def reads_of_family(family_id: int):
    """Every logged read of a family's file and of its referrals, newest first."""
    return AccessLog.objects.filter(family_id=family_id).select_related("user")
