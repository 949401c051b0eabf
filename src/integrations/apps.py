"""Integrations: outgoing webhooks that tell other systems what happened to work items.

A capability app beside the core: it follows the write path through `common.signals` and the
conversation through `collaboration.signals`, keeps its own records (hooks, deliveries and their
attempts) and sends over HTTP from a Celery task, so neither the core nor the conversation
knows it exists.
"""

from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Integrations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from collaboration.signals import attachment_added, comment_posted
        from common.signals import work_items_changed

        from . import events

        work_items_changed.connect(events.items_changed, dispatch_uid="integrations.items")
        comment_posted.connect(events.commented, dispatch_uid="integrations.comments")
        attachment_added.connect(events.attachment_added, dispatch_uid="integrations.attachments")
