"""The unread count for the bell in the header (one small indexed query per page)."""

from django.utils.functional import SimpleLazyObject

from .models import Notification


def unread_count(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: Notification.objects.filter(user=user, read_at__isnull=True).count()
        )
    }
