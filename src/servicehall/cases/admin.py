from django.contrib import admin

from .models import Case, CaseEvent, CasePause


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "at", "by", "note"]

    def has_add_permission(self, request, obj=None):
        return False


class CasePauseInline(admin.TabularInline):
    model = CasePause
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "reason", "start", "end", "expected_working_days"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-only: cases change only through their services, which keep the clock and the
    audit log right."""

    list_display = ["number", "item_version", "department", "status", "case_type", "is_urgent",
                    "promised_due", "completed_on"]
    list_filter = ["status", "case_type", "is_urgent", "center"]
    search_fields = ["number", "applicant_name", "credit_code"]
    exclude = ["applicant_id_number", "agent_id_number", "applicant_id_index"]
    inlines = [CasePauseInline, CaseEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
