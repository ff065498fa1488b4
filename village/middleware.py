from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation


class UserLanguageMiddleware:
    """A logged-in person reads Village in the language stored on their account (which the
    language switcher updates), so e-mails and pages agree."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


# Roles that see personal data: they must have a second factor when VILLAGE_REQUIRE_MFA is on.
PERSONAL_DATA_ROLES = frozenset({"bridge_figure", "partner_worker", "school_coordinator"})


class RequireSecondFactorMiddleware:
    """With VILLAGE_REQUIRE_MFA, someone in a role that sees personal data is sent to set up a
    second factor before anything else opens."""

    allowed_prefixes = ("/accounts/", "/i18n/", "/static/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.VILLAGE_REQUIRE_MFA and self._needs_second_factor(request):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    def _needs_second_factor(self, request) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(self.allowed_prefixes):
            return False
        from allauth.mfa.models import Authenticator

        if not user.memberships.active().filter(role__in=PERSONAL_DATA_ROLES).exists():
            return False
        return not Authenticator.objects.filter(user=user).exists()
