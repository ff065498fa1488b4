"""Writing minimal school notices to the outbox (DESIGN.md §7). Delivery is a separate step."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from families.models import Consent, ConsentScope

from .models import NoticeEvent, Referral, SchoolNotice, Status

# The only mapping from a referral's status to what a school may read.
EVENT_FOR_STATUS = {
    Status.ACCEPTED: NoticeEvent.PICKED_UP,
    Status.WAITING: NoticeEvent.WAITING,
    Status.CONTACT_MADE: NoticeEvent.STARTED,
    Status.IN_PROGRESS: NoticeEvent.STARTED,
    Status.CLOSED: NoticeEvent.ENDED,
    Status.WITHDRAWN: NoticeEvent.ENDED,
}
# Withdrawing a referral the school never heard about tells it nothing.
_SCHOOL_HEARD_OF = frozenset({Status.ACCEPTED, Status.WAITING, Status.CONTACT_MADE, Status.IN_PROGRESS})


def school_may_be_informed(referral: Referral) -> bool:
    """Is there, now, an active `inform_school` consent of this family for the child's school
    that covers the child?"""
    child = referral.child
    if child is None or child.school_id is None:
        return False
    return any(
        consent.covers_child(child)
        for consent in Consent.objects.active().filter(
            family_id=referral.family_id, scope=ConsentScope.INFORM_SCHOOL, recipient_id=child.school_id
        )
    )


def _write(**fields) -> SchoolNotice | None:
    # The unique key makes writing idempotent: the same (source, event) is never written twice.
    try:
        with transaction.atomic():
            return SchoolNotice.objects.create(**fields)
    except IntegrityError:
        return None


def queue_notices_for_transition(referral: Referral, *, previous: str) -> SchoolNotice | None:
    """Called inside the transition's transaction. Writes at most one notice."""
    event = EVENT_FOR_STATUS.get(referral.status)
    if event is None:
        return None
    if referral.status == Status.WITHDRAWN and previous not in _SCHOOL_HEARD_OF:
        return None
    child = referral.child
    if child is None or child.school_id is None or referral.family.anonymised_at is not None:
        return None
    bridge_figure = referral.family.primary_bridge_figure or referral.created_by
    if school_may_be_informed(referral):
        return _write(
            school_id=child.school_id,
            child=child,
            event=event,
            bridge_figure=bridge_figure,
            key=f"referral:{referral.pk}:{event}",
        )
    request = referral.school_request
    if request is not None and request.school_id == child.school_id:
        # The school asked, but the family did not agree to updates: say so, once, on the request.
        return _write(
            school_id=request.school_id,
            school_request=request,
            event=NoticeEvent.NO_PERMISSION,
            bridge_figure=bridge_figure,
            key=f"school_request:{request.pk}:{NoticeEvent.NO_PERMISSION}",
        )
    return None
