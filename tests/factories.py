"""factory_boy factories for the domain. Consents go through the model (append-only, validated)."""

import datetime

import factory
from django.conf import settings
from django.utils import timezone

from families.models import Child, Consent, ConsentScope, ContactMoment, Family, Guardian
from partners.models import Coverage, Membership, NeedDomain, Offer, Organisation, Role
from referrals.models import Referral, SchoolRequest
from village.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Faker("name", locale="nl_BE")
    password = factory.django.Password("correct-horse-battery")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.WELFARE


class SchoolFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Basisschool {n}")
    kind = Organisation.Kind.SCHOOL
    school_level = Organisation.SchoolLevel.PRIMARY


class BridgeTeamFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Brugfiguren team {n}")
    kind = Organisation.Kind.BRIDGE_TEAM


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.PARTNER_WORKER


class CoverageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coverage

    school = factory.SubFactory(SchoolFactory)
    bridge_figure = factory.SubFactory(MembershipFactory, role=Role.BRIDGE_FIGURE)


def need_domain(code: str = "learning_homework") -> NeedDomain:
    from .conftest import ensure_need_domains

    ensure_need_domains()
    return NeedDomain.objects.get(code=code)


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Offer {n}")
    kind = Offer.Kind.HOMEWORK_CLUB
    verified_at = factory.LazyFunction(timezone.localdate)


class FamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Family

    holding_team = factory.SubFactory(BridgeTeamFactory)
    postcode = "9000"
    languages = "nl, ar"


class GuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardian

    family = factory.SubFactory(FamilyFactory)
    first_name = factory.Faker("first_name", locale="nl_BE")
    last_name = factory.Faker("last_name", locale="nl_BE")
    relationship = "mother"
    phone = "+32 470 00 00 00"


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    family = factory.SubFactory(FamilyFactory)
    first_name = factory.Faker("first_name", locale="nl_BE")
    last_name = factory.Faker("last_name", locale="nl_BE")
    birth_year = factory.LazyFunction(lambda: timezone.localdate().year - 8)
    grade = "3"


class ConsentFactory(factory.django.DjangoModelFactory):
    """A consent given now by the family's first guardian (pass `child` for a child-level one)."""

    class Meta:
        model = Consent

    family = factory.SubFactory(FamilyFactory)
    scope = ConsentScope.REGISTER
    recipient = factory.LazyAttribute(lambda o: o.family.holding_team)
    given_by = Consent.GivenBy.GUARDIAN
    guardian = factory.LazyAttribute(lambda o: o.family.guardians.first() or GuardianFactory(family=o.family))
    method = Consent.Method.VERBAL
    text_version = settings.VILLAGE_CONSENT_TEXT_VERSION
    recorded_by = factory.SubFactory(UserFactory)
    given_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(minutes=1))


class ContactMomentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactMoment

    team = factory.SubFactory(BridgeTeamFactory)
    bridge_figure = factory.SubFactory(UserFactory)
    kind = ContactMoment.Kind.SCHOOL_GATE
    note = "talked at the gate"


class ReferralFactory(factory.django.DjangoModelFactory):
    """A draft referral from the family's holding team."""

    class Meta:
        model = Referral
        skip_postgeneration_save = True

    family = factory.SubFactory(FamilyFactory)
    referring_team = factory.LazyAttribute(lambda o: o.family.holding_team)
    created_by = factory.SubFactory(UserFactory)
    receiving_organisation = factory.SubFactory(OrganisationFactory)
    question = "We would like help with homework in the evening."

    @factory.post_generation
    def need_domains(self, create, extracted, **kwargs):
        if create:
            self.need_domains.set(extracted or [need_domain()])


class SchoolRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolRequest

    school = factory.SubFactory(SchoolFactory)
    created_by = factory.SubFactory(UserFactory)
    pupil_first_name = "Yasmine"
    pupil_last_name = "Peeters"
    grade = "4"
    reason = "Often absent on Mondays; please contact the family."
    parents_know = SchoolRequest.ParentsKnow.YES
