"""Feedback and request timings in the admin, with a CSV export of feedback.

Feedback is seen through its author's organisation; timings belong to no organisation, so
only people who see every organisation see them (`ScopedAdminMixin`).
"""

import csv

from django.contrib import admin
from django.http import HttpResponse

from accounts.admin_scope import ScopedAdminMixin

from .models import Feedback, RequestTiming


@admin.register(Feedback)
class FeedbackAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "rating", "user", "page", "short_comment"]
    list_filter = ["rating", "created_at"]
    search_fields = ["comment", "page"]
    readonly_fields = ["user", "rating", "comment", "page", "created_at"]
    actions = ["export_csv"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="Comment")
    def short_comment(self, obj: Feedback) -> str:
        return obj.comment[:80]

    @admin.action(description="Export selected feedback as CSV")
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="feedback.csv"'
        writer = csv.writer(response)
        writer.writerow(["created_at", "user", "rating", "page", "comment"])
        for entry in queryset.select_related("user"):
            writer.writerow(
                [
                    entry.created_at.isoformat(),
                    entry.user or "",
                    entry.rating,
                    entry.page,
                    entry.comment,
                ]
            )
        return response


@admin.register(RequestTiming)
class RequestTimingAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "view", "duration_ms", "status"]
    list_filter = ["view"]

    def has_add_permission(self, request):
        return False
