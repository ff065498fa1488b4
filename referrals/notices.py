"""Writing minimal school notices to the outbox (DESIGN.md §7). Delivery is a separate step."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from families.models import Consent, ConsentScope
from partners.models import Membership, Role

from .models import NoticeEvent, Notification, Referral, SchoolNotice, Status

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
    return inform_school_consent_covers(child, child.school_id)


def inform_school_consent_covers(child, school_id: int) -> bool:
    """An active `inform_school` consent of the child's family for this school covers the child."""
    return any(
        consent.covers_child(child)
        for consent in Consent.objects.active().filter(
            family_id=child.family_id, scope=ConsentScope.INFORM_SCHOOL, recipient_id=school_id
        )
    )


def school_notice_still_allowed(notice: SchoolNotice) -> bool:
    """Checked again at delivery: may this notice still reach its school? A `no_permission`
    notice needs no consent (it says there is none); any other needs the pupil's family not
    anonymised and an active `inform_school` consent for that school covering the pupil."""
    if notice.event == NoticeEvent.NO_PERMISSION:
        return True
    child = notice.child
    if child is None or child.family.anonymised_at is not None:
        return False
    return inform_school_consent_covers(child, notice.school_id)


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
        return write_no_permission_notice(request, bridge_figure=bridge_figure)
    return None


def write_no_permission_notice(school_request, *, bridge_figure) -> SchoolNotice | None:
    """The school asked, but the family did not agree to updates: say so, once, on the request."""
    return _write(
        school_id=school_request.school_id,
        school_request=school_request,
        event=NoticeEvent.NO_PERMISSION,
        bridge_figure=bridge_figure,
        key=f"school_request:{school_request.pk}:{NoticeEvent.NO_PERMISSION}",
    )


# --------------------------------------------------------------------------- notices to people
# Which referral changes tell whom (DESIGN.md §6): the receiving organisation hears of a new
# referral; the referring bridge figure hears the answer. Reminders and stale counts are written
# by the deadline check (referrals/delivery.py).
_NOTIFICATION_FOR_STATUS = {
    Status.SENT: Notification.Kind.NEW_REFERRAL,
    Status.ACCEPTED: Notification.Kind.ACCEPTED,
    Status.DECLINED: Notification.Kind.DECLINED,
}


def partner_workers_of(organisation_id: int) -> list:
    return list(
        Membership.objects.active()
        .filter(organisation_id=organisation_id, role=Role.PARTNER_WORKER)
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )


def referring_bridge_figures(referral: Referral) -> list:
    """The bridge figure who made the referral while still in the team; else the whole team."""
    team = Membership.objects.active().filter(
        organisation_id=referral.referring_team_id, role=Role.BRIDGE_FIGURE
    )
    if team.filter(user_id=referral.created_by_id).exists():
        return [referral.created_by_id]
    return list(team.values_list("user_id", flat=True).distinct().order_by("user_id"))


def write_notifications(
    *,
    kind: str,
    source_key: str,
    recipients,
    referral: Referral | None = None,
    school_notice: SchoolNotice | None = None,
    count: int | None = None,
) -> list[Notification]:
    """Write one in-app notice per recipient; the unique key skips any already written."""
    rows = [
        Notification(
            recipient_id=user_id,
            kind=kind,
            referral=referral,
            school_notice=school_notice,
            count=count,
            key=f"{source_key}:user:{user_id}",
        )
        for user_id in recipients
    ]
    existing = set(
        Notification.objects.filter(key__in=[row.key for row in rows]).values_list("key", flat=True)
    )
    fresh = [row for row in rows if row.key not in existing]
    Notification.objects.bulk_create(fresh, ignore_conflicts=True)
    return fresh


def queue_notifications_for_transition(referral: Referral, *, school_notice: SchoolNotice | None) -> None:
    """Called inside the transition's transaction: writes the people's notices of this change and
    queues delivery (e-mail nudges, the school notice's fan-out) for after the commit."""
    from .delivery import queue_delivery

    kind = _NOTIFICATION_FOR_STATUS.get(referral.status)
    users: list = []
    if kind is not None:
        recipients = (
            partner_workers_of(referral.receiving_organisation_id)
            if kind == Notification.Kind.NEW_REFERRAL
            else referring_bridge_figures(referral)
        )
        written = write_notifications(
            kind=kind, source_key=f"referral:{referral.pk}:{kind}", recipients=recipients, referral=referral
        )
        users = [row.recipient_id for row in written]
    queue_delivery(school_notice_ids=[school_notice.pk] if school_notice else [], user_ids=users)
