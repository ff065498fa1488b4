"""Business actions on families and consents: one function each, one transaction each."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import Organisation, Role

from .models import Child, Consent, ConsentScope, ContactMoment, Family, Guardian
from .signals import family_anonymised


def _require_bridge_figure_of(user, team: Organisation) -> None:
    if not user.memberships.active().filter(organisation=team, role=Role.BRIDGE_FIGURE).exists():
        raise PermissionError(_("Only a bridge figure of this team can do this."))


@transaction.atomic
def record_consent(
    *,
    family: Family,
    scope: str,
    recipient: Organisation,
    given_by: str,
    method: str,
    recorded_by,
    guardian: Guardian | None = None,
    child: Child | None = None,
    young_person_agreed: bool = False,
    given_at: datetime.datetime | None = None,
    expires_on: datetime.date | None = None,
    renews: Consent | None = None,
) -> Consent:
    """Record a consent the family gave. The model refuses an invalid one (12+ rule, recipients)."""
    _require_bridge_figure_of(recorded_by, family.holding_team)
    consent = Consent(
        family=family,
        child=child,
        scope=scope,
        recipient=recipient,
        given_by=given_by,
        guardian=guardian,
        young_person_agreed=young_person_agreed,
        method=method,
        text_version=settings.VILLAGE_CONSENT_TEXT_VERSION,
        recorded_by=recorded_by,
        given_at=given_at or timezone.now(),
        expires_on=expires_on,
        renews=renews,
    )
    consent.save()
    Family.objects.filter(pk=family.pk).update(last_activity_at=timezone.now())
    return consent


@transaction.atomic
def withdraw_consent(*, consent: Consent, by, reason: str = "") -> Consent:
    """Withdraw a consent; it takes effect at once. Withdrawing `register` closes the file: the
    family is anonymised in the same transaction and only its counts remain."""
    _require_bridge_figure_of(by, consent.family.holding_team)
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at is not None:
        raise ValidationError(_("This consent was already withdrawn."))
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = by
    consent.withdrawal_reason = reason[:300]
    consent.save()
    if (
        consent.scope == ConsentScope.REGISTER
        and not consent.family.consents.active()
        .filter(scope=ConsentScope.REGISTER, child__isnull=True)
        .exists()
    ):
        anonymise_family(family=consent.family)
    return consent


@transaction.atomic
def anonymise_family(*, family: Family) -> Family:
    """Remove everything that identifies a family, keeping the rows that reports count
    (birth year, school, grade, dates, statuses)."""
    family = Family.objects.select_for_update().get(pk=family.pk)
    if family.anonymised_at:
        return family
    family.guardians.update(first_name="", last_name="", relationship="", phone="", email="")
    for child in family.children.all():
        child.first_name = ""
        child.last_name = ""
        if child.birth_date:
            child.birth_date = None
        child.save(update_fields=["first_name", "last_name", "birth_date"])
    ContactMoment.objects.filter(family=family).update(note="")
    family.postcode = ""
    family.anonymised_at = timezone.now()
    family.save(update_fields=["postcode", "anonymised_at"])
    family_anonymised.send(sender=Family, family=family)
    return family


@transaction.atomic
def create_family(
    *,
    team: Organisation,
    by,
    postcode: str = "",
    languages: str = "",
    interpreter_needed: bool = False,
    preferred_channel: str = Family.Channel.PHONE,
    guardians: list[dict],
    children: list[dict],
    consent_method: str,
    given_at: datetime.datetime | None = None,
) -> Family:
    """Open a family file, starting from the `register` consent a guardian gave. A young person of
    12+ (`young_person_agreed` in their dict) gets a consent of their own; without it the file is
    kept, but that young person stays hidden (docs/decisions/0002)."""
    _require_bridge_figure_of(by, team)
    if not guardians:
        raise ValidationError(_("Name the parent or guardian who agreed."))
    family = Family.objects.create(
        holding_team=team,
        primary_bridge_figure=by,
        created_by=by,
        postcode=postcode,
        languages=languages,
        interpreter_needed=interpreter_needed,
        preferred_channel=preferred_channel,
    )
    saved_guardians = [Guardian.objects.create(family=family, **fields) for fields in guardians]
    record_consent(
        family=family,
        scope=ConsentScope.REGISTER,
        recipient=team,
        given_by=Consent.GivenBy.GUARDIAN,
        guardian=saved_guardians[0],
        method=consent_method,
        recorded_by=by,
        given_at=given_at,
    )
    for fields in children:
        fields = dict(fields)
        agreed = fields.pop("young_person_agreed", False)
        child = Child(family=family, **fields)
        child.full_clean(exclude=["turns_twelve_on", "family"])
        child.save()
        if agreed and child.is_young_person():
            record_consent(
                family=family,
                scope=ConsentScope.REGISTER,
                recipient=team,
                given_by=Consent.GivenBy.YOUNG_PERSON,
                child=child,
                young_person_agreed=True,
                method=consent_method,
                recorded_by=by,
                given_at=given_at,
            )
    return family


@transaction.atomic
def log_contact_moment(
    *,
    team: Organisation,
    by,
    kind: str,
    topics=(),
    happened_on: datetime.date | None = None,
    school: Organisation | None = None,
    place: str = "",
    family: Family | None = None,
    note: str = "",
    follow_up_on: datetime.date | None = None,
) -> ContactMoment:
    """Log one conversation of the bridge figure's day; a moment without a family still counts."""
    _require_bridge_figure_of(by, team)
    moment = ContactMoment(
        team=team,
        bridge_figure=by,
        kind=kind,
        happened_on=happened_on or timezone.localdate(),
        school=school,
        place=place,
        family=family,
        note=note,
        follow_up_on=follow_up_on,
    )
    moment.full_clean(exclude=["topics"])
    moment.save()
    moment.topics.set(topics)
    if family is not None:
        Family.objects.filter(pk=family.pk).update(last_activity_at=timezone.now())
    return moment


FAMILY_FIELDS = ("postcode", "languages", "interpreter_needed", "preferred_channel", "primary_bridge_figure")


@transaction.atomic
def update_family(*, family: Family, by, **fields) -> Family:
    """Change the family's own details. The primary bridge figure must work for the holding team."""
    _require_bridge_figure_of(by, family.holding_team)
    unknown = set(fields) - set(FAMILY_FIELDS)
    if unknown:
        raise TypeError(f"update_family() got unexpected fields: {sorted(unknown)}")
    family = Family.objects.select_for_update().get(pk=family.pk)
    figure = fields.get("primary_bridge_figure", family.primary_bridge_figure)
    if (
        figure is not None
        and not figure.memberships.active()
        .filter(organisation_id=family.holding_team_id, role=Role.BRIDGE_FIGURE)
        .exists()
    ):
        raise ValidationError(
            {"primary_bridge_figure": _("Choose a bridge figure of the team holding this file.")}
        )
    for name, value in fields.items():
        setattr(family, name, value)
    family.last_activity_at = timezone.now()
    family.full_clean(exclude=["holding_team", "created_by", "reference"])
    family.save()
    return family


GUARDIAN_FIELDS = ("first_name", "last_name", "relationship", "phone", "email")


@transaction.atomic
def add_guardian(*, family: Family, by, **fields) -> Guardian:
    """Add a parent or guardian to the family file."""
    _require_bridge_figure_of(by, family.holding_team)
    guardian = Guardian(family=family, **{name: fields[name] for name in GUARDIAN_FIELDS if name in fields})
    guardian.full_clean(exclude=["family"])
    guardian.save()
    Family.objects.filter(pk=family.pk).update(last_activity_at=timezone.now())
    return guardian


@transaction.atomic
def update_guardian(*, guardian: Guardian, by, **fields) -> Guardian:
    """Change a parent's or guardian's details."""
    _require_bridge_figure_of(by, guardian.family.holding_team)
    unknown = set(fields) - set(GUARDIAN_FIELDS)
    if unknown:
        raise TypeError(f"update_guardian() got unexpected fields: {sorted(unknown)}")
    guardian = Guardian.objects.select_for_update().get(pk=guardian.pk)
    for name, value in fields.items():
        setattr(guardian, name, value)
    guardian.full_clean(exclude=["family"])
    guardian.save()
    Family.objects.filter(pk=guardian.family_id).update(last_activity_at=timezone.now())
    return guardian


CHILD_FIELDS = ("first_name", "last_name", "birth_year", "birth_date", "school", "grade")


@transaction.atomic
def add_child(
    *, family: Family, by, young_person_agreed: bool = False, consent_method: str = "", **fields
) -> Child:
    """Add a child. A young person of 12+ who agreed themselves gets their own `register` consent;
    without it they are kept but stay hidden in the file (docs/decisions/0002)."""
    _require_bridge_figure_of(by, family.holding_team)
    child = Child(family=family, **{name: fields[name] for name in CHILD_FIELDS if name in fields})
    child.full_clean(exclude=["turns_twelve_on", "family"])
    child.save()
    if young_person_agreed and child.is_young_person():
        record_consent(
            family=family,
            scope=ConsentScope.REGISTER,
            recipient=family.holding_team,
            given_by=Consent.GivenBy.YOUNG_PERSON,
            child=child,
            young_person_agreed=True,
            method=consent_method or Consent.Method.VERBAL,
            recorded_by=by,
        )
    Family.objects.filter(pk=family.pk).update(last_activity_at=timezone.now())
    return child


@transaction.atomic
def update_child(*, child: Child, by, **fields) -> Child:
    """Change a child's details."""
    _require_bridge_figure_of(by, child.family.holding_team)
    unknown = set(fields) - set(CHILD_FIELDS)
    if unknown:
        raise TypeError(f"update_child() got unexpected fields: {sorted(unknown)}")
    child = Child.objects.select_for_update().get(pk=child.pk)
    for name, value in fields.items():
        setattr(child, name, value)
    child.full_clean(exclude=["turns_twelve_on", "family"])
    child.save()
    Family.objects.filter(pk=child.family_id).update(last_activity_at=timezone.now())
    return child
