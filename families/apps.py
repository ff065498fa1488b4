from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FamiliesConfig(AppConfig):
    name = "families"
    verbose_name = _("Families and consent")

    def ready(self) -> None:
        from village import gate

        from .models import Child, Consent, ContactMoment, Family, Guardian

        gate.register("family_file", lambda user: Family.objects.visible_to(user))
        gate.register("family_identity", lambda user: Family.objects.identity_visible_to(user))
        gate.register("guardian", lambda user: Guardian.objects.visible_to(user))
        gate.register("child", lambda user: Child.objects.visible_to(user))
        gate.register("consent", lambda user: Consent.objects.visible_to(user))
        gate.register("contact_moment", lambda user: ContactMoment.objects.visible_to(user))
