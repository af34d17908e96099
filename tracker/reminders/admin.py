from django.contrib import admin

from tracker.reminders.models import Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "week_start",
        "status",
        "attempts",
        "scheduled_for",
        "sent_at",
        "short_error",
    ]
    list_filter = ["status", "week_start"]
    search_fields = ["user__email", "error", "message_id"]
    list_select_related = ["user"]
    date_hierarchy = "week_start"
    readonly_fields = [
        "user",
        "week_start",
        "scheduled_for",
        "status",
        "attempts",
        "error",
        "message_id",
        "created_at",
        "updated_at",
        "sent_at",
    ]

    @admin.display(description="error")
    def short_error(self, obj: Reminder) -> str:
        return obj.error[:80]

    def has_add_permission(self, request: object) -> bool:
        return False
