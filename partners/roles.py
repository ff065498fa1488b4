"""What a person is in the network, for navigation and home pages. Access itself is decided by the
visibility queries, never by these flags alone."""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import Membership, Role


@dataclass(frozen=True)
class Roles:
    bridge_teams: tuple = field(default_factory=tuple)
    partner_organisations: tuple = field(default_factory=tuple)
    schools: tuple = field(default_factory=tuple)
    coordinated_networks: tuple = field(default_factory=tuple)
    is_administrator: bool = False

    @property
    def is_bridge_figure(self) -> bool:
        return bool(self.bridge_teams)

    @property
    def is_partner_worker(self) -> bool:
        return bool(self.partner_organisations)

    @property
    def is_school_coordinator(self) -> bool:
        return bool(self.schools)

    @property
    def is_network_coordinator(self) -> bool:
        return bool(self.coordinated_networks)

    @property
    def may_see_aggregates(self) -> bool:
        return self.is_bridge_figure or self.is_network_coordinator


def roles_of(user) -> Roles:
    if not getattr(user, "is_authenticated", False):
        return Roles()
    by_role: dict[str, list] = {role: [] for role in Role.values}
    for membership in (
        Membership.objects.of(user).select_related("organisation").order_by("organisation__name")
    ):
        by_role[membership.role].append(membership.organisation)
    return Roles(
        bridge_teams=tuple(by_role[Role.BRIDGE_FIGURE]),
        partner_organisations=tuple(by_role[Role.PARTNER_WORKER]),
        schools=tuple(by_role[Role.SCHOOL_COORDINATOR]),
        coordinated_networks=tuple(by_role[Role.NETWORK_COORDINATOR]),
        is_administrator=bool(user.is_staff),
    )
