"""Keeping the catalogue alive: the actions behind the catalogue pages (one function each, one
transaction each)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from .models import Offer


class EditConflict(Exception):
    """The offer changed after the form was opened; saving would silently undo that change."""

    def __init__(self, current: Offer):
        super().__init__("the offer changed since the form was opened")
        self.current = current


@transaction.atomic
def save_offer(*, form, by, today: datetime.date | None = None) -> Offer:
    """Save a valid OfferForm. Whoever saves an offer has just read it, so it counts as verified.

    For an existing offer, the row is locked and its `updated_at` compared with the version the
    form was opened on: a newer one means someone else saved in between, and EditConflict is raised
    with the current offer (nothing is saved)."""
    if form.instance.pk:
        current = Offer.objects.select_for_update().get(pk=form.instance.pk)
        if form.cleaned_data.get("version") != current.updated_at.isoformat():
            raise EditConflict(current)
    offer = form.save(commit=False)
    offer.verified_at = today or timezone.localdate()
    offer.save()
    form.save_m2m()
    return offer


def verify_offer(*, offer: Offer, by, today: datetime.date | None = None) -> None:
    """ "Still correct": the offer was checked and nothing changed. Only `verified_at` is written, not
    `updated_at`, so an edit form someone has open on the same offer stays valid."""
    offer.verified_at = today or timezone.localdate()
    Offer.objects.filter(pk=offer.pk).update(verified_at=offer.verified_at)


def set_offer_active(*, offer: Offer, active: bool, by) -> None:
    """Take an offer out of the catalogue (or back in). Bumps `updated_at`: an open edit form was
    made for the other state."""
    offer.active = active
    offer.save(update_fields=["active", "updated_at"])
