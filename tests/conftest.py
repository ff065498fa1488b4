"""The named world of CONVENTIONS.md, and the fixtures every test can use.

team: a bridge team with `bridge` and `colleague`; `other_team` with `other_bridge`.
partner_org with `partner`; outsider_org with `outsider` (a partner worker elsewhere).
school with `school_coordinator`; other_school with `other_school_coordinator`.
`network_coordinator` at the municipality; `administrator` (staff, no membership).
The family held by `team`: a guardian, `child` (8, at `school`) and `teen` (14, at `school`).
No consent exists until a test gives one with `world.give(...)`.
"""

from __future__ import annotations

import datetime
import importlib
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from families.models import Consent, ConsentScope
from partners.models import Organisation, Role

from . import factories as f


def pytest_configure(config):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


CHROMIUM = "/usr/bin/chromium"
PASSWORD = "correct-horse-battery"  # what tests.factories.UserFactory sets


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, with the flags that keep it off the (closed) network."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true: Debian's chromium is required for the browser tests")
        pytest.skip("chromium is not installed (make test installs it)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A phone at the school gate: 390x844, Dutch (Belgium)."""
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}, "locale": "nl-BE"}


def log_in(page, live_server, email: str, password: str = PASSWORD) -> None:
    """Log in through the real login form."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The production hasher costs ~0.3 s per user; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _real_database_in_ci(django_db_setup, django_db_blocker):
    """In CI the database must be PostgreSQL: fail, never silently fall back to SQLite."""
    if os.environ.get("CI") == "true":
        with django_db_blocker.unblock():
            assert connection.vendor == "postgresql", (
                "CI=true: tests must run on PostgreSQL (set DATABASE_URL)"
            )


CONSENT_STATES = ["none", "active", "expired", "withdrawn", "other_organisation"]


@dataclass
class World:
    team: Organisation
    other_team: Organisation
    partner_org: Organisation
    outsider_org: Organisation
    school: Organisation
    other_school: Organisation
    municipality: Organisation
    bridge: object
    colleague: object
    other_bridge: object
    partner: object
    outsider: object
    school_coordinator: object
    other_school_coordinator: object
    network_coordinator: object
    administrator: object
    family: object
    guardian: object
    child: object
    teen: object

    @property
    def everyone(self) -> dict[str, object]:
        return {
            "bridge": self.bridge,
            "colleague": self.colleague,
            "other_bridge": self.other_bridge,
            "partner": self.partner,
            "outsider": self.outsider,
            "school_coordinator": self.school_coordinator,
            "other_school_coordinator": self.other_school_coordinator,
            "network_coordinator": self.network_coordinator,
            "administrator": self.administrator,
        }

    def give(
        self,
        scope: str,
        recipient: Organisation | None = None,
        *,
        child=None,
        state: str = "active",
        family=None,
    ) -> Consent | None:
        """Give a consent in one of CONSENT_STATES. "other_organisation" gives an active consent of
        the same scope to an organisation that is not `recipient`."""
        family = family or self.family
        recipient = recipient or family.holding_team
        if state == "none":
            return None
        if state == "other_organisation":
            recipient = {
                Organisation.Kind.SCHOOL: self.other_school,
                Organisation.Kind.BRIDGE_TEAM: self.other_team,
            }.get(recipient.kind, self.outsider_org)
            if scope == ConsentScope.REGISTER:
                # A register consent can only name the holding team: hand it to the other team's
                # file instead, which is the same leak risk seen from this family.
                return None
        young = child is not None and child.is_young_person()
        now = timezone.now()
        kwargs = {
            "family": family,
            "scope": scope,
            "recipient": recipient,
            "child": child,
            "recorded_by": self.bridge,
            "young_person_agreed": young,
        }
        if state == "expired":
            kwargs["given_at"] = now - datetime.timedelta(days=400)
            kwargs["expires_on"] = timezone.localdate() - datetime.timedelta(days=1)
        consent = f.ConsentFactory(**kwargs)
        if state == "withdrawn":
            consent.withdrawn_at = now
            consent.withdrawn_by = self.bridge
            consent.save()
        return consent


def ensure_need_domains() -> None:
    """The need domains come from a data migration; a transactional test flushes them, so put
    them back (the same function the migration runs) when a later test needs them."""
    from django.apps import apps

    from partners.models import NeedDomain

    if not NeedDomain.objects.exists():
        migration = importlib.import_module("partners.migrations.0003_need_domains")
        migration.add_need_domains(apps, None)


@pytest.fixture
def world(db) -> World:
    ensure_need_domains()
    team = f.BridgeTeamFactory(name="Brugfiguren Zonnedorp")
    other_team = f.BridgeTeamFactory(name="Brugfiguren Nachtdorp")
    partner_org = f.OrganisationFactory(name="Huiswerkklas De Brug", kind=Organisation.Kind.LEISURE_LEARNING)
    outsider_org = f.OrganisationFactory(name="CAW Elders", kind=Organisation.Kind.WELFARE)
    school = f.SchoolFactory(name="Basisschool De Linde")
    other_school = f.SchoolFactory(name="Basisschool Het Anker")
    municipality = f.OrganisationFactory(name="Gemeente Zonnedorp", kind=Organisation.Kind.MUNICIPALITY)

    def member(email, organisation, role):
        user = f.UserFactory(email=email)
        f.MembershipFactory(user=user, organisation=organisation, role=role)
        return user

    bridge = member("bridge@world.test", team, Role.BRIDGE_FIGURE)
    colleague = member("colleague@world.test", team, Role.BRIDGE_FIGURE)
    other_bridge = member("other-bridge@world.test", other_team, Role.BRIDGE_FIGURE)
    partner = member("partner@world.test", partner_org, Role.PARTNER_WORKER)
    outsider = member("outsider@world.test", outsider_org, Role.PARTNER_WORKER)
    school_coordinator = member("zorg@world.test", school, Role.SCHOOL_COORDINATOR)
    other_school_coordinator = member("zorg-anker@world.test", other_school, Role.SCHOOL_COORDINATOR)
    network_coordinator = member("netwerk@world.test", municipality, Role.NETWORK_COORDINATOR)
    administrator = f.UserFactory(email="admin@world.test", is_staff=True, is_superuser=True)

    f.CoverageFactory(school=school, bridge_figure=bridge.memberships.get())
    f.CoverageFactory(school=other_school, bridge_figure=other_bridge.memberships.get())

    family = f.FamilyFactory(holding_team=team, primary_bridge_figure=bridge)
    guardian = f.GuardianFactory(family=family, first_name="Amina", last_name="Leaksma")
    today = timezone.localdate()
    child = f.ChildFactory(
        family=family, first_name="Noor", last_name="Leaksma", birth_year=today.year - 8, school=school
    )
    teen = f.ChildFactory(
        family=family,
        first_name="Sami",
        last_name="Leaksma",
        birth_year=today.year - 14,
        birth_date=datetime.date(today.year - 14, 1, 15),
        school=school,
    )
    return World(
        team=team,
        other_team=other_team,
        partner_org=partner_org,
        outsider_org=outsider_org,
        school=school,
        other_school=other_school,
        municipality=municipality,
        bridge=bridge,
        colleague=colleague,
        other_bridge=other_bridge,
        partner=partner,
        outsider=outsider,
        school_coordinator=school_coordinator,
        other_school_coordinator=other_school_coordinator,
        network_coordinator=network_coordinator,
        administrator=administrator,
        family=family,
        guardian=guardian,
        child=child,
        teen=teen,
    )
