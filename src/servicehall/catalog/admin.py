from django.contrib import admin

from servicehall.core.admin_audit import AuditedModelAdmin

from .models import (
    Department,
    FeeItem,
    ItemVersion,
    Material,
    ProcessStep,
    ServiceItem,
    Synonym,
    Theme,
    Window,
)


@admin.register(Department)
class DepartmentAdmin(AuditedModelAdmin):
    list_display = ["code", "short_name", "name", "center", "phone", "sort_order", "is_active"]
    list_filter = ["center", "is_active"]
    search_fields = ["code", "name", "short_name"]


@admin.register(Window)
class WindowAdmin(AuditedModelAdmin):
    list_display = ["number", "name", "center", "department", "is_comprehensive", "is_active"]
    list_filter = ["center", "is_comprehensive", "is_active"]
    filter_horizontal = ["served_departments"]


@admin.register(Theme)
class ThemeAdmin(AuditedModelAdmin):
    list_display = ["name", "audience", "center", "sort_order"]
    list_filter = ["center", "audience"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MaterialInline(ReadOnlyInline):
    model = Material


class FeeInline(ReadOnlyInline):
    model = FeeItem


class StepInline(ReadOnlyInline):
    model = ProcessStep


@admin.register(ItemVersion)
class ItemVersionAdmin(admin.ModelAdmin):
    """Versions are history: read here, edited through the staff catalog pages."""

    list_display = ["name", "number", "item", "processing_type", "promised_limit", "created_by",
                    "created_at"]
    list_filter = ["processing_type", "kind"]
    search_fields = ["name", "item__code"]
    inlines = [MaterialInline, FeeInline, StepInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ServiceItem)
class ServiceItemAdmin(AuditedModelAdmin):
    list_display = ["code", "__str__", "department", "center", "is_active", "updated_at"]
    list_filter = ["center", "is_active", "department"]
    search_fields = ["code", "current_version__name"]
    readonly_fields = ["center", "department", "code", "current_version", "is_active",
                       "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Synonym)
class SynonymAdmin(AuditedModelAdmin):
    """The search's synonym table: a colloquial phrase and the catalog terms it stands for."""

    list_display = ["phrase", "terms", "center"]
    list_filter = ["center"]
    search_fields = ["phrase", "terms"]
