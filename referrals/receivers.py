from django.dispatch import receiver

from families.signals import family_anonymised

from .models import Referral, ReferralEvent, SchoolRequest


@receiver(family_anonymised)
def blank_referrals_of_anonymised_family(sender, family, **kwargs) -> None:
    """An anonymised family keeps its referrals for the counts, without any words about it."""
    Referral.objects.filter(family=family).update(
        question="", decline_note="", interim_support="", receiving_contact=""
    )
    ReferralEvent.objects.filter(referral__family=family).update(note="")
    # The school's own request keeps the pupil's name (the school knows it), so it must no longer
    # point at the anonymised family: that link would re-identify it.
    SchoolRequest.objects.filter(family=family).update(family=None, child=None)
