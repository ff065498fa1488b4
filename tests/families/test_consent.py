"""Consent (DESIGN.md §4, §5): append-only records, the 12+ rule, default expiry, expiry and
withdrawal read at the moment of asking, and closing a family file."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone, translation

from families.actions import record_consent, withdraw_consent
from families.models import (
    Child,
    Consent,
    ConsentIsAppendOnly,
    ConsentScope,
    ContactMoment,
    Family,
    Guardian,
    end_of_school_year,
    twelfth_birthday,
)
from referrals.lifecycle import accept_referral, send_referral
from referrals.models import Referral, ReferralEvent
from tests import factories as f

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=BRUSSELS)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def record(world, **kwargs) -> Consent:
    """record_consent with a valid family-level `refer` consent to `partner_org` as default."""
    arguments = {
        "family": world.family,
        "scope": ConsentScope.REFER,
        "recipient": world.partner_org,
        "given_by": Consent.GivenBy.GUARDIAN,
        "guardian": world.guardian,
        "method": Consent.Method.VERBAL,
        "recorded_by": world.bridge,
    }
    arguments.update(kwargs)
    return record_consent(**arguments)


def stored(consent: Consent) -> dict:
    return Consent.objects.filter(pk=consent.pk).values().get()


# --------------------------------------------------------------------------- append-only

# A different, otherwise valid value for every field a consent has, except its withdrawal.
EDITS = {
    "family": lambda w: f.FamilyFactory(holding_team=w.team),
    "child": lambda w: w.child,
    "scope": lambda w: ConsentScope.REFER,
    "recipient": lambda w: w.other_team,
    "given_by": lambda w: Consent.GivenBy.YOUNG_PERSON,
    "guardian": lambda w: f.GuardianFactory(family=w.family, first_name="Youssef"),
    "young_person_agreed": lambda w: True,
    "method": lambda w: Consent.Method.PAPER,
    "text_version": lambda w: "2099-9",
    "recorded_by": lambda w: w.colleague,
    "given_at": lambda w: timezone.now() - datetime.timedelta(days=3),
    "expires_on": lambda w: timezone.localdate() + datetime.timedelta(days=30),
    "renews": lambda w: w.give(ConsentScope.REFER, w.partner_org),
}


def test_edits_cover_every_field_but_the_withdrawal():
    fields = {field.name for field in Consent._meta.concrete_fields}
    assert set(EDITS) == fields - {"id", *Consent.WITHDRAWAL_FIELDS}


@pytest.mark.parametrize("withdrawing_too", [False, True], ids=["edit", "edit-while-withdrawing"])
@pytest.mark.parametrize("field", list(EDITS))
def test_editing_a_saved_consent_is_refused(world, field, withdrawing_too):
    consent = world.give(ConsentScope.REGISTER)
    before = stored(consent)
    setattr(consent, field, EDITS[field](world))
    if withdrawing_too:
        consent.withdrawn_at = timezone.now()
        consent.withdrawn_by = world.bridge

    with pytest.raises(ConsentIsAppendOnly) as refused:
        consent.save()

    assert refused.value.messages == ["A consent cannot be edited; withdraw it and record a new one."]
    assert stored(consent) == before


def test_saving_a_consent_unchanged_is_refused(world):
    consent = world.give(ConsentScope.REGISTER)

    with pytest.raises(ConsentIsAppendOnly) as refused:
        consent.save()

    assert refused.value.messages == ["The only change a consent allows is its withdrawal."]


def test_deleting_a_consent_is_refused(world):
    consent = world.give(ConsentScope.REGISTER)

    with pytest.raises(ConsentIsAppendOnly) as refused:
        consent.delete()

    assert refused.value.messages == ["Consent records are never deleted."]
    assert Consent.objects.filter(pk=consent.pk).exists()


@pytest.mark.parametrize(
    "bulk_change",
    [
        lambda c: Consent.objects.filter(pk=c.pk).delete(),
        lambda c: Consent.objects.all().delete(),
        lambda c: Consent.objects.update(method=Consent.Method.PAPER),
        lambda c: Consent.objects.filter(pk=c.pk).update(withdrawn_at=timezone.now()),
        lambda c: Consent.objects.bulk_update([c], ["text_version"]),
    ],
    ids=["queryset-delete", "delete-all", "update-all", "update-withdrawal", "bulk-update"],
)
def test_bulk_changes_to_consents_are_refused(world, bulk_change):
    consent = world.give(ConsentScope.REGISTER)
    consent.text_version = "2099-9"
    before = stored(consent)

    with pytest.raises(ConsentIsAppendOnly), transaction.atomic():  # bulk_update opens a transaction
        bulk_change(consent)

    assert stored(consent) == before


def test_deleting_a_family_with_consents_is_refused(world):
    world.give(ConsentScope.REGISTER)

    with pytest.raises(ProtectedError):
        world.family.delete()

    assert Consent.objects.filter(family=world.family).count() == 1


def test_withdrawing_once_works_and_a_second_withdrawal_is_refused(world):
    consent = world.give(ConsentScope.REFER, world.partner_org)
    withdrawn_at = timezone.now().replace(microsecond=0)

    with time_machine.travel(withdrawn_at, tick=False):
        withdraw_consent(consent=consent, by=world.colleague, reason="They changed their mind.")

    consent.refresh_from_db()
    assert (consent.withdrawn_at, consent.withdrawn_by, consent.withdrawal_reason) == (
        withdrawn_at,
        world.colleague,
        "They changed their mind.",
    )
    assert (consent.is_active(), consent.state) == (False, "withdrawn")
    before = stored(consent)

    with pytest.raises(ValidationError) as refused:
        withdraw_consent(consent=consent, by=world.bridge, reason="again")

    assert refused.value.messages == ["This consent was already withdrawn."]
    assert stored(consent) == before


def test_withdrawing_again_through_the_model_is_refused(world):
    consent = world.give(ConsentScope.REFER, world.partner_org, state="withdrawn")
    before = stored(consent)
    consent.withdrawn_at = timezone.now() + datetime.timedelta(minutes=1)
    consent.withdrawal_reason = "a later reason"

    with pytest.raises(ConsentIsAppendOnly) as refused:
        consent.save()

    assert refused.value.messages == ["This consent was already withdrawn."]
    assert stored(consent) == before


def test_un_withdrawing_a_consent_is_refused(world):
    consent = world.give(ConsentScope.REFER, world.partner_org, state="withdrawn")
    before = stored(consent)
    consent.withdrawn_at = None
    consent.withdrawn_by = None
    consent.withdrawal_reason = ""

    with pytest.raises(ConsentIsAppendOnly):
        consent.save()

    assert stored(consent) == before
    assert before["withdrawn_at"] is not None


def test_withdrawing_by_another_team_is_refused(world):
    consent = world.give(ConsentScope.REFER, world.partner_org)

    with pytest.raises(PermissionError):
        withdraw_consent(consent=consent, by=world.other_bridge)

    assert stored(consent)["withdrawn_at"] is None


# --------------------------------------------------------------------------- the 12+ rule

YOUNG_PERSON_MUST_AGREE = {
    "young_person_agreed": ["This young person is 12 or older and must agree for themselves."]
}


def test_child_level_consent_for_a_teen_without_their_agreement_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        record(world, child=world.teen, young_person_agreed=False)

    assert refused.value.message_dict == YOUNG_PERSON_MUST_AGREE
    assert Consent.objects.count() == 0


def test_child_level_consent_given_by_the_teen_works(world):
    consent = record(world, child=world.teen, given_by=Consent.GivenBy.YOUNG_PERSON, guardian=None)

    assert (consent.child, consent.given_by, consent.young_person_agreed) == (
        world.teen,
        "young_person",
        True,
    )
    assert consent.covers_child(world.teen) is True
    assert list(Consent.objects.active()) == [consent]


def test_child_level_consent_by_a_guardian_with_the_teens_agreement_works(world):
    consent = record(world, child=world.teen, young_person_agreed=True)

    assert stored(consent)["young_person_agreed"] is True
    assert consent.covers_child(world.teen) is True


def test_child_level_consent_for_a_child_under_twelve_needs_no_agreement(world):
    consent = record(world, child=world.child)

    assert (consent.child, consent.young_person_agreed) == (world.child, False)


@pytest.mark.parametrize(
    ("when", "refused"),
    [(at(2028, 3, 9, 23, 50), False), (at(2028, 3, 10, 0, 10), True)],
    ids=["turns-12-tomorrow", "turns-12-today"],
)
def test_twelve_rule_starts_on_the_twelfth_birthday(world, when, refused):
    child = f.ChildFactory(family=world.family, birth_year=2016, birth_date=datetime.date(2016, 3, 10))

    with time_machine.travel(when, tick=False):
        if refused:
            with pytest.raises(ValidationError) as error:
                record(world, child=child)
            assert error.value.message_dict == YOUNG_PERSON_MUST_AGREE
        else:
            consent = record(world, child=child)
            assert consent.covers_child(child, on=datetime.date(2028, 3, 9)) is True
            # the parent's consent does not speak for the young person from the birthday on
            assert consent.covers_child(child, on=datetime.date(2028, 3, 10)) is False

    assert Consent.objects.filter(child=child).count() == (0 if refused else 1)


@pytest.mark.parametrize(
    ("when", "refused"),
    [(at(2027, 12, 31, 23, 50), False), (at(2028, 1, 1, 0, 10), True)],
    ids=["31-december", "1-january"],
)
def test_twelve_rule_with_only_a_birth_year_counts_from_1_january(world, when, refused):
    child = f.ChildFactory(family=world.family, birth_year=2016, birth_date=None)
    assert child.turns_twelve_on == datetime.date(2028, 1, 1)

    with time_machine.travel(when, tick=False):
        if refused:
            with pytest.raises(ValidationError) as error:
                record(world, child=child)
            assert error.value.message_dict == YOUNG_PERSON_MUST_AGREE
        else:
            record(world, child=child)

    assert Consent.objects.filter(child=child).count() == (0 if refused else 1)


@pytest.mark.parametrize(
    ("birth_year", "birth_date", "twelfth"),
    [
        (2016, datetime.date(2016, 3, 10), datetime.date(2028, 3, 10)),
        (2016, None, datetime.date(2028, 1, 1)),
        (2016, datetime.date(2016, 2, 29), datetime.date(2028, 2, 29)),
        (2088, datetime.date(2088, 2, 29), datetime.date(2100, 3, 1)),  # 2100 is no leap year
    ],
)
def test_twelfth_birthday(birth_year, birth_date, twelfth):
    assert twelfth_birthday(birth_year, birth_date) == twelfth


def test_young_person_consent_without_a_child_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        record(world, given_by=Consent.GivenBy.YOUNG_PERSON, guardian=None)

    assert refused.value.message_dict == {
        "child": ["A young person gives consent for themselves: choose the child."]
    }
    assert Consent.objects.count() == 0


# --------------------------------------------------------------------------- coherent recipients


@pytest.mark.parametrize("recipient", ["other_team", "partner_org", "school"])
def test_register_consent_for_another_than_the_holding_team_is_refused(world, recipient):
    with pytest.raises(ValidationError) as refused:
        record(world, scope=ConsentScope.REGISTER, recipient=getattr(world, recipient))

    assert refused.value.message_dict == {
        "recipient": ["A family file is kept by the family's own bridge team."]
    }
    assert Consent.objects.count() == 0


@pytest.mark.parametrize("recipient", ["partner_org", "team", "municipality"])
def test_inform_school_consent_to_a_non_school_is_refused(world, recipient):
    with pytest.raises(ValidationError) as refused:
        record(world, scope=ConsentScope.INFORM_SCHOOL, recipient=getattr(world, recipient))

    assert refused.value.message_dict == {"recipient": ["Updates can only be shared with a school."]}
    assert Consent.objects.count() == 0


# --------------------------------------------------------------------------- expiry


@pytest.mark.parametrize(
    ("scope", "recipient", "when", "expires_on"),
    [
        (ConsentScope.REFER, "partner_org", at(2027, 10, 15), datetime.date(2028, 8, 31)),
        (ConsentScope.REFER, "partner_org", at(2028, 5, 15), datetime.date(2028, 8, 31)),
        (ConsentScope.INFORM_SCHOOL, "school", at(2027, 10, 15), datetime.date(2028, 8, 31)),
        (ConsentScope.INFORM_SCHOOL, "school", at(2028, 5, 15), datetime.date(2028, 8, 31)),
        (ConsentScope.REFER, "partner_org", at(2028, 8, 31, 23, 30), datetime.date(2028, 8, 31)),
        (ConsentScope.REFER, "partner_org", at(2028, 9, 1, 0, 30), datetime.date(2029, 8, 31)),
        (ConsentScope.REGISTER, "team", at(2027, 10, 15), None),
        (ConsentScope.REGISTER, "team", at(2028, 5, 15), None),
    ],
    ids=[
        "refer-october",
        "refer-may",
        "inform_school-october",
        "inform_school-may",
        "refer-31-august",
        "refer-1-september",
        "register-october",
        "register-may",
    ],
)
def test_default_expiry_is_the_end_of_the_school_year(world, scope, recipient, when, expires_on):
    with time_machine.travel(when, tick=False):
        consent = record(world, scope=scope, recipient=getattr(world, recipient))
        assert end_of_school_year() == datetime.date(when.year + (when.month >= 9), 8, 31)

    assert stored(consent)["expires_on"] == expires_on


def test_an_explicit_expiry_is_kept(world):
    until = timezone.localdate() + datetime.timedelta(days=20)

    consent = record(world, expires_on=until)

    assert stored(consent)["expires_on"] == until


def test_an_expiry_before_the_consent_was_given_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        record(world, expires_on=timezone.localdate() - datetime.timedelta(days=1))

    assert refused.value.message_dict == {"expires_on": ["The end date lies before the date it was given."]}


@pytest.mark.parametrize(
    ("scope", "recipient", "user", "gate"),
    [
        (ConsentScope.REFER, "partner_org", "partner", Family.objects.identity_visible_to),
        (ConsentScope.REGISTER, "team", "bridge", Family.objects.visible_to),
    ],
    ids=["refer", "register"],
)
def test_expiry_cuts_access_at_read_time(world, scope, recipient, user, gate):
    last_day = timezone.localdate() + datetime.timedelta(days=10)
    consent = record(world, scope=scope, recipient=getattr(world, recipient), expires_on=last_day)
    user = getattr(world, user)

    with time_machine.travel(
        datetime.datetime.combine(last_day, datetime.time(23, 59), BRUSSELS), tick=False
    ):
        assert (consent.is_active(), consent.state) == (True, "expiring")
        assert list(Consent.objects.active()) == [consent]
        assert list(gate(user)) == [world.family]

    with time_machine.travel(
        datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time(0, 1), BRUSSELS),
        tick=False,
    ):
        assert (consent.is_active(), consent.state) == (False, "expired")
        assert list(Consent.objects.active()) == []
        assert list(gate(user)) == []

    # nothing had to run: the row itself never changed
    assert stored(consent)["withdrawn_at"] is None


def test_withdrawal_cuts_access_at_once(world):
    consent = world.give(ConsentScope.REFER, world.partner_org)
    assert list(Family.objects.identity_visible_to(world.partner)) == [world.family]

    withdraw_consent(consent=consent, by=world.bridge)

    assert list(Family.objects.identity_visible_to(world.partner)) == []
    assert list(Consent.objects.active()) == []


# --------------------------------------------------------------------------- closing the file


@pytest.fixture
def family_with_history(world):
    """The world's family with a file, a shared referral, notes in the logbook; and a second
    family of the same team that must stay untouched."""
    register = world.give(ConsentScope.REGISTER)
    world.give(ConsentScope.REFER, world.partner_org)
    f.ContactMomentFactory(
        team=world.team, bridge_figure=world.bridge, family=world.family, note="Mother worried about rent"
    )
    f.ContactMomentFactory(team=world.team, bridge_figure=world.bridge, family=None, note="Chat at the gate")
    referral = f.ReferralFactory(
        family=world.family,
        child=world.child,
        created_by=world.bridge,
        receiving_organisation=world.partner_org,
        question="Help with the rent arrears",
        receiving_contact="Els Janssens",
    )
    send_referral(referral, by=world.bridge)
    accept_referral(referral, by=world.partner, note="Spoke to the mother on the phone")

    neighbours = f.FamilyFactory(holding_team=world.team, primary_bridge_figure=world.bridge)
    f.GuardianFactory(family=neighbours, first_name="Lotte", last_name="Buur")
    world.give(ConsentScope.REGISTER, family=neighbours)
    f.ContactMomentFactory(
        team=world.team, bridge_figure=world.bridge, family=neighbours, note="Asked about sports"
    )
    return register, referral, neighbours


def test_withdrawing_the_register_consent_anonymises_the_family_at_once(world, family_with_history):
    register, referral, neighbours = family_with_history
    year = timezone.localdate().year
    assert set(Family.objects.visible_to(world.bridge)) == {world.family, neighbours}
    now = timezone.now().replace(microsecond=0)

    with time_machine.travel(now, tick=False):
        withdraw_consent(consent=register, by=world.bridge, reason="The family moved away.")

    family = Family.objects.get(pk=world.family.pk)
    assert (family.anonymised_at, family.postcode) == (now, "")
    assert list(
        Guardian.objects.filter(family=family).values_list(
            "first_name", "last_name", "relationship", "phone", "email"
        )
    ) == [("", "", "", "", "")]
    assert list(
        Child.objects.filter(family=family)
        .order_by("pk")
        .values_list("first_name", "last_name", "birth_date", "birth_year", "school")
    ) == [("", "", None, year - 8, world.school.pk), ("", "", None, year - 14, world.school.pk)]
    assert list(ContactMoment.objects.order_by("pk").values_list("family", "note")) == [
        (family.pk, ""),
        (None, "Chat at the gate"),
        (neighbours.pk, "Asked about sports"),
    ]
    referral.refresh_from_db()
    assert (referral.question, referral.receiving_contact, referral.status) == ("", "", "accepted")
    assert list(ReferralEvent.objects.filter(referral=referral).values_list("action", "note")) == [
        ("send", ""),
        ("accept", ""),
    ]

    # the file is closed for everyone, even though the refer consent is still active
    assert list(Family.objects.visible_to(world.bridge)) == [neighbours]
    assert list(Family.objects.identity_visible_to(world.partner)) == []
    assert list(Referral.objects.content_visible_to(world.bridge)) == []
    assert list(Referral.objects.content_visible_to(world.partner)) == []

    # only the counts remain: every row is still there
    assert (
        Guardian.objects.filter(family=family).count(),
        Child.objects.filter(family=family).count(),
        ContactMoment.objects.filter(family=family).count(),
        Referral.objects.filter(family=family).count(),
        ReferralEvent.objects.filter(referral__family=family).count(),
        Consent.objects.filter(family=family).count(),
    ) == (1, 2, 1, 1, 2, 2)
    assert list(Guardian.objects.filter(family=neighbours).values_list("first_name", "last_name")) == [
        ("Lotte", "Buur")
    ]


def test_withdrawing_a_child_level_register_consent_keeps_the_family_file(world):
    world.give(ConsentScope.REGISTER)
    teens_own = world.give(ConsentScope.REGISTER, child=world.teen)

    withdraw_consent(consent=teens_own, by=world.bridge)

    world.family.refresh_from_db()
    assert world.family.anonymised_at is None
    assert list(Family.objects.visible_to(world.bridge)) == [world.family]


# --------------------------------------------------------------------------- who records


@pytest.mark.parametrize(
    "who",
    [
        "other_bridge",
        "partner",
        "outsider",
        "school_coordinator",
        "other_school_coordinator",
        "network_coordinator",
        "administrator",
    ],
)
def test_record_consent_by_someone_not_a_bridge_figure_of_the_team_is_refused(world, who):
    with pytest.raises(PermissionError) as refused:
        record(world, recorded_by=world.everyone[who])

    assert str(refused.value) == "Only a bridge figure of this team can do this."
    assert Consent.objects.count() == 0


def test_record_consent_by_a_colleague_in_the_team_works(world):
    consent = record(world, recorded_by=world.colleague)

    assert (consent.recorded_by, consent.text_version, consent.is_active()) == (
        world.colleague,
        settings.VILLAGE_CONSENT_TEXT_VERSION,
        True,
    )


def test_anonymising_unlinks_the_schools_request_from_the_family(world):
    from families.actions import withdraw_consent
    from referrals.models import SchoolRequest

    from ..factories import SchoolRequestFactory

    register = world.give("register")
    request = SchoolRequestFactory(school=world.school, family=world.family, child=world.child)
    withdraw_consent(consent=register, by=world.bridge, reason="the family asked")
    request.refresh_from_db()
    assert (request.family_id, request.child_id) == (None, None)
    assert SchoolRequest.objects.filter(pk=request.pk).exists()
