"""School requests on the bridge figure's side: pick up, link to a family or referral, mark
handled. One function each, one transaction each; an illegal move is refused with a reason."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from families.models import Family

from .models import Referral, SchoolRequest

Status = SchoolRequest.Status


def _locked(school_request: SchoolRequest, by) -> SchoolRequest:
    # The bridge figure must cover the school now (the same gate as every view).
    return get_visible_for_update(school_request.pk, by)


def get_visible_for_update(pk: int, by) -> SchoolRequest:
    try:
        return SchoolRequest.objects.visible_to(by).select_for_update().get(pk=pk)
    except SchoolRequest.DoesNotExist:
        raise PermissionError(_("This school request is not for your team.")) from None


def _refuse(request_: SchoolRequest, allowed: set[str], verb: str) -> None:
    if request_.status not in allowed:
        raise ValidationError(
            _("A school request that is “%(status)s” cannot be %(verb)s.")
            % {"status": request_.get_status_display(), "verb": verb},
            code="illegal_transition",
        )


@transaction.atomic
def pick_up_school_request(*, school_request: SchoolRequest, by) -> SchoolRequest:
    """`open` → `picked_up`: the bridge figure will contact the family."""
    locked = _locked(school_request, by)
    _refuse(locked, {Status.OPEN}, _("picked up"))
    locked.status = Status.PICKED_UP
    locked.picked_up_at = timezone.now()
    locked.picked_up_by = by
    locked.save(update_fields=["status", "picked_up_at", "picked_up_by"])
    return locked


@transaction.atomic
def link_school_request(
    *, school_request: SchoolRequest, by, family: Family | None = None, referral: Referral | None = None
) -> SchoolRequest:
    """Link a picked-up request to the family file (and the referral) that answers it."""
    locked = _locked(school_request, by)
    _refuse(locked, {Status.PICKED_UP}, _("linked"))
    if referral is not None:
        family = referral.family
        if referral.school_request_id is None:
            Referral.objects.filter(pk=referral.pk).update(school_request=locked)
    if family is None:
        raise ValidationError(_("Choose a family or a referral."))
    locked.family = family
    locked.save(update_fields=["family"])
    return locked


@transaction.atomic
def mark_school_request_handled(*, school_request: SchoolRequest, by) -> SchoolRequest:
    """`picked_up` → `handled`."""
    locked = _locked(school_request, by)
    _refuse(locked, {Status.PICKED_UP}, _("marked as handled"))
    locked.status = Status.HANDLED
    locked.handled_at = timezone.now()
    locked.save(update_fields=["status", "handled_at"])
    return locked
