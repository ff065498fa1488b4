"""The referral lifecycle (DESIGN.md §6): one function per transition.

Each function locks the referral row, checks who acts and whether the move is legal, writes the
new status, its timestamp, a ReferralEvent and any school notice, all in one transaction. A caller
that passes `expected_version` (every view does: the version the user saw) gets ConcurrentChange
when someone else changed the referral in between, so two people cannot both win silently.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from partners.models import Offer, Role

from .models import Referral, ReferralEvent, Status, refer_consent_exists
from .notices import queue_notices_for_transition, queue_notifications_for_transition


class TransitionNotAllowed(ValidationError):
    """The move is not legal from the referral's current status, or not for this person."""


class ConcurrentChange(ValidationError):
    """Someone else changed the referral after the user loaded it."""


class ConsentMissing(ValidationError):
    """No active consent allows sharing this referral with the receiving organisation."""


REFERRING, RECEIVING = "referring", "receiving"

# action -> (statuses it may start from, status it leads to, who may do it, verb for messages)
TRANSITIONS: dict[str, tuple[frozenset[str], str, str, object]] = {
    "send": (frozenset({Status.DRAFT}), Status.SENT, REFERRING, pgettext_lazy("transition verb", "sent")),
    "accept": (
        frozenset({Status.SENT}),
        Status.ACCEPTED,
        RECEIVING,
        pgettext_lazy("transition verb", "accepted"),
    ),
    "decline": (
        frozenset({Status.SENT}),
        Status.DECLINED,
        RECEIVING,
        pgettext_lazy("transition verb", "declined"),
    ),
    "put_on_waiting_list": (
        frozenset({Status.ACCEPTED}),
        Status.WAITING,
        RECEIVING,
        pgettext_lazy("transition verb", "put on the waiting list"),
    ),
    "record_contact": (
        frozenset({Status.ACCEPTED, Status.WAITING}),
        Status.CONTACT_MADE,
        RECEIVING,
        pgettext_lazy("transition verb", "marked as contact made"),
    ),
    "start": (
        frozenset({Status.CONTACT_MADE}),
        Status.IN_PROGRESS,
        RECEIVING,
        pgettext_lazy("transition verb", "started"),
    ),
    "close": (
        frozenset({Status.ACCEPTED, Status.WAITING, Status.CONTACT_MADE, Status.IN_PROGRESS}),
        Status.CLOSED,
        RECEIVING,
        pgettext_lazy("transition verb", "closed"),
    ),
    "withdraw": (
        frozenset(
            {
                Status.DRAFT,
                Status.SENT,
                Status.ACCEPTED,
                Status.WAITING,
                Status.CONTACT_MADE,
                Status.IN_PROGRESS,
            }
        ),
        Status.WITHDRAWN,
        REFERRING,
        pgettext_lazy("transition verb", "withdrawn"),
    ),
}


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """`days` working days (Monday–Friday) after `start`. Public holidays are not counted out."""
    current = start
    while days > 0:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def may_act(user, referral: Referral, side: str) -> bool:
    if side == REFERRING:
        organisation_id, role = referral.referring_team_id, Role.BRIDGE_FIGURE
    else:
        organisation_id, role = referral.receiving_organisation_id, Role.PARTNER_WORKER
    return user.memberships.active().filter(organisation_id=organisation_id, role=role).exists()


def allowed_actions(user, referral: Referral) -> list[str]:
    """The transitions this user may try now, for showing buttons."""
    return [
        action
        for action, (sources, _target, side, _verb) in TRANSITIONS.items()
        if referral.status in sources and may_act(user, referral, side)
    ]


def _transition(
    referral: Referral,
    action: str,
    *,
    by,
    expected_version: int | None,
    note: str = "",
    apply: Callable[[Referral, datetime.datetime], None] | None = None,
) -> Referral:
    sources, target, side, verb = TRANSITIONS[action]
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if not may_act(by, locked, side):
            raise TransitionNotAllowed(
                _("Only the referring bridge team can do this.")
                if side == REFERRING
                else _("Only the receiving organisation can do this."),
                code="not_your_side",
            )
        if expected_version is not None and locked.version != expected_version:
            raise ConcurrentChange(
                _(
                    "This referral changed meanwhile (it is now “%(status)s”). Nothing was saved; look at the change and try again."
                )
                % {"status": locked.get_status_display()},
                code="concurrent_change",
            )
        if locked.status not in sources:
            raise TransitionNotAllowed(
                _("A referral that is “%(status)s” cannot be %(verb)s.")
                % {"status": locked.get_status_display(), "verb": verb},
                code="illegal_transition",
            )
        now = timezone.now()
        previous = locked.status
        if apply:
            apply(locked, now)
        locked.status = target
        locked.version += 1
        locked.save()
        ReferralEvent.objects.create(
            referral=locked,
            action=action,
            from_status=previous,
            to_status=target,
            at=now,
            by=by,
            note=note[:1000],
        )
        notice = queue_notices_for_transition(locked, previous=previous)
        queue_notifications_for_transition(locked, school_notice=notice)
    referral.refresh_from_db()
    return referral


def send_referral(referral: Referral, *, by, expected_version: int | None = None) -> Referral:
    """Send a draft. Refused without an active `refer` consent covering it for the receiving
    organisation, or when the question or the need domains are missing."""

    def apply(r: Referral, now: datetime.datetime) -> None:
        problems = []
        if not r.question.strip():
            problems.append(_("Write the family's question before sending."))
        if not r.need_domains.exists():
            problems.append(_("Choose at least one need domain before sending."))
        if problems:
            raise ValidationError(problems, code="incomplete")
        if not Referral.objects.filter(pk=r.pk).filter(refer_consent_exists()).exists():
            raise ConsentMissing(
                _(
                    "There is no current consent from the family to share this with %(organisation)s. Record it first."
                )
                % {"organisation": r.receiving_organisation},
                code="consent_missing",
            )
        r.sent_at = now
        r.respond_by = add_working_days(timezone.localdate(now), settings.VILLAGE_RESPONSE_WORKING_DAYS)

    return _transition(referral, "send", by=by, expected_version=expected_version, apply=apply)


def accept_referral(
    referral: Referral, *, by, expected_version: int | None = None, note: str = ""
) -> Referral:
    def apply(r: Referral, now: datetime.datetime) -> None:
        r.answered_at = now

    return _transition(referral, "accept", by=by, expected_version=expected_version, note=note, apply=apply)


def decline_referral(
    referral: Referral,
    *,
    by,
    reason: str,
    note: str = "",
    suggested_offer: Offer | None = None,
    expected_version: int | None = None,
) -> Referral:
    if reason not in Referral.DeclineReason.values:
        raise ValidationError(_("Choose a reason for declining."), code="reason_required")

    def apply(r: Referral, now: datetime.datetime) -> None:
        r.answered_at = now
        r.decline_reason = reason
        r.decline_note = note[:500]
        r.suggested_offer = suggested_offer

    return _transition(referral, "decline", by=by, expected_version=expected_version, note=note, apply=apply)


def put_on_waiting_list(
    referral: Referral,
    *,
    by,
    expected_start: datetime.date | None = None,
    interim_support: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> Referral:
    def apply(r: Referral, now: datetime.datetime) -> None:
        r.waiting_since = now
        r.expected_start = expected_start
        r.interim_support = interim_support[:300]

    return _transition(
        referral, "put_on_waiting_list", by=by, expected_version=expected_version, note=note, apply=apply
    )


def record_contact(
    referral: Referral,
    *,
    by,
    on: datetime.date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Referral:
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError(_("The date of first contact cannot lie in the future."), code="future_date")

    def apply(r: Referral, now: datetime.datetime) -> None:
        if r.sent_at and on < timezone.localdate(r.sent_at):
            raise ValidationError(
                _("The first contact cannot be before the referral was sent."), code="before_sent"
            )
        r.contact_made_on = on

    return _transition(
        referral, "record_contact", by=by, expected_version=expected_version, note=note, apply=apply
    )


def start_support(referral: Referral, *, by, note: str = "", expected_version: int | None = None) -> Referral:
    def apply(r: Referral, now: datetime.datetime) -> None:
        r.started_at = now

    return _transition(referral, "start", by=by, expected_version=expected_version, note=note, apply=apply)


def close_referral(
    referral: Referral, *, by, outcome: str, note: str = "", expected_version: int | None = None
) -> Referral:
    if outcome not in Referral.Outcome.values:
        raise ValidationError(_("Choose an outcome to close the referral."), code="outcome_required")

    def apply(r: Referral, now: datetime.datetime) -> None:
        r.closed_at = now
        r.outcome = outcome

    return _transition(referral, "close", by=by, expected_version=expected_version, note=note, apply=apply)


def withdraw_referral(
    referral: Referral, *, by, note: str = "", expected_version: int | None = None
) -> Referral:
    def apply(r: Referral, now: datetime.datetime) -> None:
        r.withdrawn_at = now

    return _transition(referral, "withdraw", by=by, expected_version=expected_version, note=note, apply=apply)


@transaction.atomic
def record_follow_up(
    referral: Referral, *, by, result: str, expected_version: int | None = None
) -> Referral | None:
    """The bridge figure asked the family "was this what you expected?". "Not the right place"
    opens a draft re-referral linked to this one, which is returned."""
    if result not in Referral.FollowUp.values:
        raise ValidationError(_("Choose what the family answered."), code="result_required")
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if not may_act(by, locked, REFERRING):
        raise TransitionNotAllowed(_("Only the referring bridge team can do this."), code="not_your_side")
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentChange(
            _("This referral changed meanwhile. Nothing was saved; try again."), code="concurrent_change"
        )
    if locked.contact_made_on is None:
        raise TransitionNotAllowed(
            _("A follow-up can only be recorded once contact has been made."), code="follow_up_too_early"
        )
    locked.follow_up_result = result
    locked.followed_up_at = timezone.now()
    locked.version += 1
    locked.save(update_fields=["follow_up_result", "followed_up_at", "version"])
    ReferralEvent.objects.create(
        referral=locked,
        action="follow_up",
        from_status=locked.status,
        to_status=locked.status,
        by=by,
        note=result,
    )
    referral.refresh_from_db()
    if result != Referral.FollowUp.WRONG_PLACE:
        return None
    again = Referral.objects.create(
        family=locked.family,
        child=locked.child,
        question=locked.question,
        referring_team=locked.referring_team,
        created_by=by,
        receiving_organisation=locked.receiving_organisation,
        source=locked.source,
        school_request=locked.school_request,
        previous_referral=locked,
    )
    again.need_domains.set(locked.need_domains.all())
    return again
