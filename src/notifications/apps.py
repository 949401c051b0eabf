"""Notifications: in-app messages, e-mail reminders and digests about work items."""

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"
