from django.contrib import admin

from .models import Case, CaseEvent, CaseExtension, CasePause, CaseStep, Irregularity, JointTask


class ReadOnlyInline(admin.TabularInline):
    """A case's rows as the services wrote them; nothing is added or changed here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CaseEventInline(ReadOnlyInline):
    model = CaseEvent
    readonly_fields = ("kind", "at", "by", "note")


class CasePauseInline(ReadOnlyInline):
    model = CasePause
    readonly_fields = ("kind", "reason", "start", "end", "expected_working_days")


class CaseStepInline(ReadOnlyInline):
    model = CaseStep
    fields = readonly_fields = ("position", "name", "status", "assignee", "due_on",
                                "completed_at", "opinion")


class JointTaskInline(ReadOnlyInline):
    model = JointTask
    fields = readonly_fields = ("department", "status", "budget_days", "due_on", "opinion")


class CaseExtensionInline(ReadOnlyInline):
    model = CaseExtension
    fields = readonly_fields = ("working_days", "reason", "status", "requested_by",
                                "decided_by", "decision_note")


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-only: cases change only through their services, which keep the clock and the
    audit log right."""

    list_display = ["number", "item_version", "department", "status", "case_type", "is_urgent",
                    "promised_due", "completed_on"]
    list_filter = ["status", "case_type", "is_urgent", "center"]
    search_fields = ["number", "applicant_name", "credit_code"]
    exclude = ["applicant_id_number", "agent_id_number", "applicant_id_index"]
    inlines = [CaseStepInline, JointTaskInline, CasePauseInline, CaseExtensionInline,
               CaseEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Irregularity)
class IrregularityAdmin(admin.ModelAdmin):
    """Kept for supervision and the assessment; written only by the case services."""

    list_display = ["at", "case", "department", "kind", "by"]
    list_filter = ["kind", "department"]
    search_fields = ["case__number"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
