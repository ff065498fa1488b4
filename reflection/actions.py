"""The network's reflection, one function per action (CONVENTIONS.md: one transaction each).

Coordinator-only actions refuse anyone else with PermissionDenied; views have already fetched the
round or signal through `visible_to`, so outsiders never get this far (they get a 404).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import Membership, Organisation

from .models import (
    ActionPoint,
    Framework,
    Item,
    Level,
    Response,
    Round,
    Signal,
    is_network_coordinator,
    is_network_member,
)


def _require_coordinator(user) -> None:
    if not is_network_coordinator(user):
        raise PermissionDenied(_("Only the network coordinator can do this."))


def _require_member(user) -> None:
    if not is_network_member(user):
        raise PermissionDenied(_("Only members of the network can do this."))


@transaction.atomic
def open_round(*, framework: Framework, title: str, participants, by) -> Round:
    _require_coordinator(by)
    round_ = Round.objects.create(framework=framework, title=title, opened_by=by)
    round_.participants.set(Membership.objects.active().filter(pk__in=[m.pk for m in participants]))
    return round_


@transaction.atomic
def invite(*, round_: Round, participants, by) -> None:
    _require_coordinator(by)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if not round_.is_open:
        raise ValidationError(_("This round is closed; nobody can be invited any more."))
    round_.participants.add(*Membership.objects.active().filter(pk__in=[m.pk for m in participants]))


@transaction.atomic
def close_round(*, round_: Round, by) -> Round:
    _require_coordinator(by)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if not round_.is_open:
        raise ValidationError(_("This round is already closed."))
    round_.closed_at = timezone.now()
    round_.save(update_fields=["closed_at"])
    return round_


@transaction.atomic
def save_answers(*, round_: Round, by, answers: dict[int, dict]) -> int:
    """Store the user's answers: {item_id: {"level", "evidence", "next_step"}}. Items without a level
    are left as they were. Returns how many answers were stored."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if not round_.is_open:
        raise ValidationError(_("This round is closed; answers can no longer change."))
    participant = round_.participation_of(by)
    if participant is None:
        raise PermissionDenied(_("You are not invited to this round."))
    items = {item.pk: item for item in Item.objects.filter(framework_id=round_.framework_id)}
    stored = 0
    for item_id, answer in answers.items():
        if item_id not in items or not answer.get("level"):
            continue
        if answer["level"] not in Level.values:
            raise ValidationError(_("Choose a place on the scale."))
        Response.objects.update_or_create(
            round=round_,
            item=items[item_id],
            participant=participant,
            defaults={
                "level": answer["level"],
                "evidence": answer.get("evidence", ""),
                "next_step": answer.get("next_step", ""),
            },
        )
        stored += 1
    return stored


@transaction.atomic
def add_action_point(
    *,
    round_: Round,
    description: str,
    owner: Organisation,
    due_on: datetime.date,
    item: Item | None = None,
    by,
) -> ActionPoint:
    _require_coordinator(by)
    if item is not None and item.framework_id != round_.framework_id:
        raise ValidationError(_("This item belongs to another framework."))
    return ActionPoint.objects.create(
        round=round_, item=item, description=description, owner=owner, due_on=due_on
    )


@transaction.atomic
def follow_up_action_point(*, action_point: ActionPoint, status: str, follow_up: str, by) -> ActionPoint:
    _require_coordinator(by)
    action_point = ActionPoint.objects.select_for_update().get(pk=action_point.pk)
    action_point.status = status
    action_point.follow_up = follow_up
    action_point.save(update_fields=["status", "follow_up"])
    return action_point


@transaction.atomic
def log_signal(*, what: str, where: str, barrier_type: str, by) -> Signal:
    _require_member(by)
    return Signal.objects.create(what=what, where=where, barrier_type=barrier_type, logged_by=by)


@transaction.atomic
def assign_signal(*, signal: Signal, organisation: Organisation, by) -> Signal:
    _require_coordinator(by)
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    signal.taken_up_by = organisation
    if signal.status == Signal.Status.NEW:
        signal.status = Signal.Status.TAKEN_UP
    signal.save(update_fields=["taken_up_by", "status", "updated_at"])
    return signal


@transaction.atomic
def follow_up_signal(*, signal: Signal, status: str, follow_up: str, by) -> Signal:
    _require_coordinator(by)
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    if status != Signal.Status.NEW and signal.taken_up_by_id is None:
        raise ValidationError(_("First choose who takes this signal up."))
    signal.status = status
    signal.follow_up = follow_up
    signal.save(update_fields=["status", "follow_up", "updated_at"])
    return signal
