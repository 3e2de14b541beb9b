from django.contrib import admin

from .models import Card, CaseWatch, Finding, SupervisionRule


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the scanner and the services write; the admin only shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SupervisionRule)
class SupervisionRuleAdmin(admin.ModelAdmin):
    list_display = ["center", "item", "warn_working_days", "warn_percent",
                    "untouched_working_days", "card_finish_working_days"]
    list_filter = ["center"]
    raw_id_fields = ["item"]


@admin.register(CaseWatch)
class CaseWatchAdmin(ReadOnlyAdmin):
    list_display = ["case", "department", "light", "reason", "since", "red_from", "warned_on"]
    list_filter = ["light", "reason"]
    list_select_related = ["case", "department"]
    search_fields = ["case__number"]


@admin.register(Card)
class CardAdmin(ReadOnlyAdmin):
    list_display = ["level", "case", "department", "staff", "issued_on", "finish_by",
                    "letter_number", "status"]
    list_filter = ["level", "status"]
    list_select_related = ["case", "department", "staff"]
    search_fields = ["case__number", "letter_number"]


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["kind", "case", "department", "staff", "found_on", "status"]
    list_filter = ["kind", "status"]
    list_select_related = ["case", "department", "staff"]
    search_fields = ["case__number"]
