from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from servicehall.core.admin_audit import AuditedModelAdmin

from .models import ApiToken, ApplicantProfile, AuthorisedAgent, LoginThrottle, User


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    list_display = ["username", "full_name", "role", "center", "department", "is_active"]
    list_filter = ["role", "center", "is_active", "is_superuser"]
    search_fields = ["username", "full_name", "phone"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["full_name", "phone", "masked_id_number"]}),
        (_("Post"), {"fields": ["role", "center", "department"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"],
                "fields": ["username", "full_name", "role", "center", "department",
                           "password1", "password2"]}),
    ]
    readonly_fields = ["masked_id_number", "last_login", "date_joined"]


@admin.register(LoginThrottle)
class LoginThrottleAdmin(AuditedModelAdmin):
    list_display = ["username", "failures", "locked_until", "last_failure_at"]
    search_fields = ["username"]


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at",
                    "revoked_at"]
    readonly_fields = ["prefix", "digest", "created_at", "last_used_at"]
    search_fields = ["name", "user__username"]


class AuthorisedAgentInline(admin.TabularInline):
    model = AuthorisedAgent
    fields = ["name", "masked_id_number", "mobile", "is_active", "created_at"]
    readonly_fields = ["name", "masked_id_number", "mobile", "created_at"]
    extra = 0
    can_delete = False


@admin.register(ApplicantProfile)
class ApplicantProfileAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "mobile", "masked_identifier", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "mobile", "credit_code"]
    fields = ["user", "kind", "name", "mobile", "masked_identifier", "legal_representative",
              "created_at"]
    readonly_fields = ["user", "kind", "masked_identifier", "created_at"]
    inlines = [AuthorisedAgentInline]
