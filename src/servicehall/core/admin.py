from django.contrib import admin

from . import services
from .admin_audit import AuditedModelAdmin
from .models import AuditEntry, CalendarDay, Center, OutboxAttempt, OutboxMessage


@admin.register(Center)
class CenterAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "level", "parent", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["code", "name"]
    readonly_fields = ["calendar_version", "created_at", "updated_at"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Editing a day goes through the calendar service: audited, and the cached calendar of the
    center is refreshed."""

    list_display = ["date", "center", "is_working", "note"]
    list_filter = ["center", "is_working"]
    date_hierarchy = "date"
    search_fields = ["note"]
    readonly_fields = ["center", "date"]
    fields = ["center", "date", "is_working", "note"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.calendar_day_set(center=obj.center, day=obj.date, is_working=obj.is_working,
                                  note=obj.note, by=request.user)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log has no change or delete path."""

    list_display = ["seq", "created_at", "action", "outcome", "actor_label", "object_repr",
                    "channel", "ip"]
    list_filter = ["outcome", "channel", "action"]
    search_fields = ["action", "actor_label", "object_repr", "object_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OutboxAttemptInline(admin.TabularInline):
    model = OutboxAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["at", "ok", "error", "duration_ms"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: messages are written by the services and sent by the outbox worker."""

    list_display = ["created_at", "event", "channel", "recipient", "status", "attempts",
                    "next_attempt_at", "sent_at"]
    list_filter = ["status", "channel", "event", "center"]
    search_fields = ["recipient", "object_id", "body"]
    date_hierarchy = "created_at"
    inlines = [OutboxAttemptInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
