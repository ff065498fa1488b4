"""School requests: the care coordinator asks; on the bridge figure's side: pick up, link to a
family or referral, mark handled. One function each, one transaction each; an illegal move is
refused with a reason."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from families.models import Consent, ConsentScope, Family
from partners.models import Coverage, Organisation, Role, organisations_of

from .delivery import queue_delivery
from .models import Notification, Referral, SchoolRequest
from .notices import write_no_permission_notice, write_notifications

Status = SchoolRequest.Status


def covering_bridge_figures(school_id: int) -> list[int]:
    """The active bridge figures who are a contact point for this school."""
    return list(
        Coverage.objects.filter(
            school_id=school_id,
            bridge_figure__active=True,
            bridge_figure__role=Role.BRIDGE_FIGURE,
            bridge_figure__user__is_active=True,
        )
        .values_list("bridge_figure__user_id", flat=True)
        .distinct()
        .order_by("bridge_figure__user_id")
    )


@transaction.atomic
def create_school_request(
    *,
    school: Organisation,
    by,
    pupil_first_name: str,
    pupil_last_name: str,
    grade: str,
    reason: str,
    parents_know: str,
) -> SchoolRequest:
    """A care coordinator asks the bridge team to contact a pupil's family. The covering bridge
    figures get an in-app notice (it names nothing: the list of requests is behind the gate)."""
    if not Organisation.objects.filter(pk=school.pk, pk__in=organisations_of(by, Role.SCHOOL_COORDINATOR)):
        raise PermissionError(_("You are not a care coordinator of this school."))
    school_request = SchoolRequest.objects.create(
        school=school,
        created_by=by,
        pupil_first_name=pupil_first_name.strip(),
        pupil_last_name=pupil_last_name.strip(),
        grade=grade.strip(),
        reason=reason.strip(),
        parents_know=parents_know,
    )
    written = write_notifications(
        kind=Notification.Kind.NEW_SCHOOL_REQUEST,
        source_key=f"school_request:{school_request.pk}:new",
        recipients=covering_bridge_figures(school.pk),
    )
    queue_delivery(user_ids=[row.recipient_id for row in written])
    return school_request


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
    fields = ["family"]
    if referral is not None and referral.child_id and locked.child_id is None:
        locked.child = referral.child
        fields.append("child")
    locked.save(update_fields=fields)
    _tell_school_if_no_permission(locked, by=by)
    return locked


def _family_informs_school(school_request: SchoolRequest) -> bool:
    """Does an active `inform_school` consent of the linked family for the asking school exist
    (covering the pupil, when the pupil is known)?"""
    consents = Consent.objects.active().filter(
        family_id=school_request.family_id,
        scope=ConsentScope.INFORM_SCHOOL,
        recipient_id=school_request.school_id,
    )
    if school_request.child_id is not None:
        return any(consent.covers_child(school_request.child) for consent in consents)
    return consents.exists()


def _tell_school_if_no_permission(school_request: SchoolRequest, *, by) -> None:
    """The school asked, but the family did not agree to updates: the school reads that on its
    request at once (DESIGN.md §7), instead of waiting for a referral to move. The key is the one
    `queue_notices_for_transition` uses, so the school is told only once."""
    if _family_informs_school(school_request):
        return
    family = school_request.family
    notice = write_no_permission_notice(school_request, bridge_figure=family.primary_bridge_figure or by)
    if notice is not None:
        queue_delivery(school_notice_ids=[notice.pk])


@transaction.atomic
def mark_school_request_handled(*, school_request: SchoolRequest, by) -> SchoolRequest:
    """`picked_up` → `handled`."""
    locked = _locked(school_request, by)
    _refuse(locked, {Status.PICKED_UP}, _("marked as handled"))
    locked.status = Status.HANDLED
    locked.handled_at = timezone.now()
    locked.save(update_fields=["status", "handled_at"])
    return locked
