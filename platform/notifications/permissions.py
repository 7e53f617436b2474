"""Who may do what with notifications: each person sees and changes only their own."""

from __future__ import annotations

from django.http import Http404

from notifications.models import Notification
from people.models import User


def can_read_notification(user: User, notification: Notification) -> bool:
    return user.is_authenticated and user.is_active and notification.recipient_id == user.pk


def access_notification(user: User, notification_id: int) -> Notification:
    """The person's own notification, or 404 (someone else's is not even acknowledged)."""
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None or not can_read_notification(user, notification):
        raise Http404
    return notification
