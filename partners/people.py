"""Accounts in the network (DESIGN.md §10: by invitation only): who may manage them, inviting a
person into an organisation in a role, and switching a membership off.

The administrator and the network coordinator manage people; nobody else does (their pages
answer 404). These pages are about accounts: names, e-mail addresses, organisations and roles,
never family data. Users are never deleted: a membership is switched off, and access, which is
always computed from active memberships, ends with the next request.
"""

from __future__ import annotations

import logging
from functools import partial

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from village.models import User

from .models import Membership, MembershipQuerySet, Organisation, Role

logger = logging.getLogger(__name__)


def may_manage_people(user) -> bool:
    """The administrator (`is_staff`) and an active network coordinator invite people and switch
    memberships off; bridge figures, partner workers and school coordinators do not."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_staff or Membership.objects.of(user, Role.NETWORK_COORDINATOR).exists()


def people_visible_to(user) -> MembershipQuerySet:
    """The active memberships (active person, active organisation) for those who manage people,
    none for anyone else. Carries the account only: person, organisation and role."""
    if not may_manage_people(user):
        return Membership.objects.none()
    return Membership.objects.active().select_related("user", "organisation")


def _require_manager(user) -> None:
    if not may_manage_people(user):
        raise PermissionDenied(_("Only an administrator or the network coordinator can manage people."))


def _record(*, by, membership: Membership, action_flag: int, change_message: list, event: str) -> None:
    """Durable trace in the admin's history of the membership; the log line carries ids only."""
    LogEntry.objects.log_actions(by.pk, [membership], action_flag, change_message, single_object=True)
    logger.info(
        "people.%s membership=%s user=%s organisation=%s by=%s",
        event,
        membership.pk,
        membership.user_id,
        membership.organisation_id,
        by.pk,
    )


@transaction.atomic
def invite_person(
    *, email: str, name: str, organisation: Organisation, role: str, language: str, by
) -> Membership:
    """Give a person a membership of `organisation` in `role`. A new person gets an account with
    no usable password and an e-mail, in their language, with a link to choose one; a person who
    already has an account gets the membership (and an e-mail saying so), never a second account.
    A switched-off membership in the same role is switched on again."""
    _require_manager(by)
    if role not in Role.allowed_for(organisation.kind):
        raise ValidationError({"role": _("This role does not exist in an organisation of this kind.")})
    if not organisation.active:
        raise ValidationError({"organisation": _("This organisation is no longer active.")})
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.select_for_update().filter(email__iexact=email).first()
    new_account = user is None
    if new_account:
        if not name.strip():
            raise ValidationError({"name": _("Give the name of the person you invite.")})
        # No password: the person chooses one through the link in the invitation.
        user = User.objects.create_user(email=email, password=None, full_name=name.strip(), language=language)
    elif not user.is_active:
        raise ValidationError(
            {"email": _("This account is switched off. An administrator can switch it on again.")}
        )

    membership, created = Membership.objects.select_for_update().get_or_create(
        user=user, organisation=organisation, role=role
    )
    if created:
        _record(
            by=by,
            membership=membership,
            action_flag=ADDITION,
            change_message=[{"added": {}}],
            event="invited",
        )
    elif membership.active:
        raise ValidationError(
            _("%(person)s already works in %(organisation)s as %(role)s.")
            % {"person": user, "organisation": organisation, "role": membership.get_role_display()}
        )
    else:
        _switch(membership, active=True, by=by)
    # Someone invited before who never chose a password gets a fresh link, not a dead end.
    needs_password = new_account or not user.has_usable_password()
    transaction.on_commit(
        partial(send_invitation, membership_id=membership.pk, needs_password=needs_password)
    )
    return membership


@transaction.atomic
def deactivate_membership(*, membership: Membership, by) -> Membership:
    """Switch a membership off: the person keeps their account (and any other membership) but loses
    what this one gave them at once, because every visibility query reads active memberships."""
    _require_manager(by)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not membership.active:
        raise ValidationError(_("This membership is already switched off."))
    if membership.user_id == by.pk:
        # Nobody locks themselves out by mistake; another coordinator or an administrator can.
        raise ValidationError(_("You cannot switch off your own membership."))
    _switch(membership, active=False, by=by)
    return membership


def _switch(membership: Membership, *, active: bool, by) -> None:
    membership.active = active
    membership.save(update_fields=["active"])
    _record(
        by=by,
        membership=membership,
        action_flag=CHANGE,
        change_message=[{"changed": {"fields": ["active"]}}],
        event="reactivated" if active else "deactivated",
    )


def set_password_url(user: User) -> str:
    """allauth's password-reset link (valid for PASSWORD_RESET_TIMEOUT, and only until a password
    is set, since the token hashes the password)."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    return settings.VILLAGE_BASE_URL + path


def render_invitation(membership: Membership, *, needs_password: bool) -> tuple[str, str, str]:
    """Subject, text and HTML of the invitation, in the invitee's language. Account facts only."""
    user = membership.user
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {
            "name": user.get_full_name(),
            "email": user.email,
            "organisation": membership.organisation.name,
            "role": membership.get_role_display(),
            "set_password_url": set_password_url(user) if needs_password else "",
            "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
            "login_url": settings.VILLAGE_BASE_URL + reverse("account_login"),
            "language": translation.get_language(),
        }
        subject = render_to_string("emails/invitation_subject.txt", context).strip()
        text = render_to_string("emails/invitation.txt", context)
        html = render_to_string("emails/invitation.html", context)
    return subject, text, html


def send_invitation(*, membership_id: int, needs_password: bool) -> None:
    membership = Membership.objects.select_related("user", "organisation").get(pk=membership_id)
    subject, text, html = render_invitation(membership, needs_password=needs_password)
    message = EmailMultiAlternatives(subject, text, to=[membership.user.email])
    message.attach_alternative(html, "text/html")
    message.send()
