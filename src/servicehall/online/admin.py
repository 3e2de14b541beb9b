from django.contrib import admin

from .models import Application, ApplicationFile


class FileInline(admin.TabularInline):
    model = ApplicationFile
    extra = 0
    can_delete = False
    fields = ("material", "original_name", "kind", "size", "sha256", "uploaded_at")
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """For looking up; every change goes through the services (applicant pages, pre-review)."""

    list_display = ["reference", "item_version", "department", "applicant", "status",
                    "submitted_at", "case"]
    list_filter = ["status", "department"]
    search_fields = ["applicant_name", "applicant__username", "case__number"]
    list_select_related = ["item_version", "department", "applicant", "case"]
    inlines = [FileInline]
    exclude = ["applicant_id_number", "agent_id_number"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
