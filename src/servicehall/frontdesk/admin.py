from django.contrib import admin

from .models import (
    Appointment,
    AppointmentSlot,
    Category,
    Consultation,
    HallPolicy,
    SaturdayService,
    ServiceRecord,
    Ticket,
    TicketCall,
    WindowCategory,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Tickets and appointments change only through their services (row locks, audit log)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HallPolicy)
class HallPolicyAdmin(admin.ModelAdmin):
    list_display = ["center", "regular_per_priority", "no_show_calls", "booking_horizon_days",
                    "no_show_limit"]


class WindowCategoryInline(admin.TabularInline):
    model = WindowCategory
    extra = 0


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "prefix", "center", "backup_threshold", "is_bookable",
                    "slot_capacity", "daily_capacity", "is_active"]
    list_filter = ["center", "is_bookable", "is_active"]
    filter_horizontal = ["departments", "items"]
    inlines = [WindowCategoryInline]


@admin.register(SaturdayService)
class SaturdayServiceAdmin(admin.ModelAdmin):
    list_display = ["day", "center", "note"]
    list_filter = ["center"]


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ["number", "day", "category", "priority", "status", "window", "issued_at",
                    "called_at", "finished_at"]
    list_filter = ["status", "priority", "channel", "center", "day"]
    search_fields = ["number"]


@admin.register(TicketCall)
class TicketCallAdmin(ReadOnlyAdmin):
    list_display = ["at", "announcement", "window", "center"]


@admin.register(AppointmentSlot)
class AppointmentSlotAdmin(ReadOnlyAdmin):
    list_display = ["day", "start", "end", "category", "capacity", "booked"]
    list_filter = ["center", "category", "day"]


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ["reference", "slot", "applicant_name", "status", "channel", "created_at"]
    list_filter = ["status", "channel", "center"]
    search_fields = ["reference", "phone"]
    exclude = ["phone"]


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = ["at", "channel", "topic", "department", "first_responder"]
    list_filter = ["channel", "center"]
    search_fields = ["topic"]


@admin.register(ServiceRecord)
class ServiceRecordAdmin(ReadOnlyAdmin):
    list_display = ["day", "kind", "department", "staff", "start", "end", "cases_handled"]
    list_filter = ["kind", "center"]
