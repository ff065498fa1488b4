from django.dispatch import receiver

from families.signals import family_anonymised

from .models import Referral, ReferralEvent


@receiver(family_anonymised)
def blank_referrals_of_anonymised_family(sender, family, **kwargs) -> None:
    """An anonymised family keeps its referrals for the counts, without any words about it."""
    Referral.objects.filter(family=family).update(
        question="", decline_note="", interim_support="", receiving_contact=""
    )
    ReferralEvent.objects.filter(referral__family=family).update(note="")
