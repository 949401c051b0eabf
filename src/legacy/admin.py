"""The dual-write outbox in the admin: what is waiting, what failed and why, and a retry."""

from django.contrib import admin, messages

from accounts.admin_scope import ScopedAdminMixin

from .dualwrite import apply_pending
from .models import OutboxEntry


@admin.register(OutboxEntry)
class OutboxEntryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "id",
        "action",
        "legacy_source",
        "legacy_id",
        "work_item_id",
        "state",
        "attempts",
        "created_at",
        "last_attempt_at",
        "applied_at",
        "note",
    )
    readonly_fields = list_display
    list_filter = ("state", "action", "legacy_source")
    search_fields = ("legacy_id", "note")
    actions = ["retry_now"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Apply waiting entries and retry failed ones now")
    def retry_now(self, request, queryset):
        counts = apply_pending(retry_failed=True, limit=5000)
        messages.info(
            request, f"Applied {counts['applied']} row(s); {counts['failed']} still failing."
        )
