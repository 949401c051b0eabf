"""Signals of the conversation, for integrations (webhooks) that follow it. Both are sent after
the writing transaction commits."""

from django.dispatch import Signal

#: kwargs: `comment` (the new Comment).
comment_posted = Signal()
#: Sent for each stored file; kwargs: `attachment`.
attachment_added = Signal()
