"""Collaboration: the conversation about a work item — comments, mentions, watchers and the
item's activity stream. Built beside the domain core: it reads items through the permission
module, writes only its own records, and hooks into the core by signals and the detail page's
extension point, so `common` never imports it."""

from django.apps import AppConfig


class CollaborationConfig(AppConfig):
    name = "collaboration"
    verbose_name = "Collaboration"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from common import extensions
        from common.signals import (
            legacy_conversation,
            legacy_conversation_count,
            work_items_changed,
        )

        from .legacy_conversation import count_legacy_conversation, store_legacy_conversation
        from .watching import watch_new_and_assigned

        work_items_changed.connect(watch_new_and_assigned, dispatch_uid="collaboration.watch")
        legacy_conversation.connect(store_legacy_conversation, dispatch_uid="collaboration.legacy")
        legacy_conversation_count.connect(
            count_legacy_conversation, dispatch_uid="collaboration.legacy-count"
        )
        extensions.register_detail_section(
            extensions.DetailSection(
                key="conversation",
                title="Conversation",
                url_name="collaboration:stream",
                scripts=("collaboration/mentions.js", "collaboration/files.js"),
            )
        )
