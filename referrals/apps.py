from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = _("Referrals and school notices")

    def ready(self) -> None:
        from village import gate

        from . import receivers  # noqa: F401
        from .models import Referral, ReferralEvent, SchoolNotice, SchoolRequest

        gate.register("referral_status", lambda user: Referral.objects.visible_to(user))
        gate.register("referral_content", lambda user: Referral.objects.content_visible_to(user))
        gate.register("referral_event", lambda user: ReferralEvent.objects.visible_to(user))
        gate.register("school_request", lambda user: SchoolRequest.objects.visible_to(user))
        gate.register("school_notice", lambda user: SchoolNotice.objects.visible_to(user))
