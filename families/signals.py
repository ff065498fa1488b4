from django.dispatch import Signal

# Sent inside the transaction that anonymises a family, so apps above this one (referrals) can
# blank what they hold about it. Arguments: family.
family_anonymised = Signal()
