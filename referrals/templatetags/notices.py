from django import template

from referrals.models import Notification

register = template.Library()


@register.simple_tag
def unread_notice_count(user) -> int:
    """How many of the person's visible notices are unread (for the navigation)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.visible_to(user).unread().count()
