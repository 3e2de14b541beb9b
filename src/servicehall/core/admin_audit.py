"""Writes made on the admin site go into the audit log like any other write."""

from django.contrib import admin
from django.db import transaction

from . import audit


class AuditedModelAdmin(admin.ModelAdmin):
    """Records every create, change and delete made through the admin site, with the changed
    fields before and after, in the same transaction as the change."""

    def _action(self, obj, verb: str) -> str:
        return f"{obj._meta.app_label}.{obj._meta.model_name}_{verb}"

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = {}
            if change and obj.pk:
                stored = type(obj).objects.filter(pk=obj.pk).first()
                before = audit.snapshot(stored) if stored is not None else {}
            super().save_model(request, obj, form, change)
            changes = audit.diff(before, audit.snapshot(obj))
            if changes or not change:
                audit.record(self._action(obj, "changed" if change else "created"), obj=obj,
                             by=request.user, changes=changes)

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit.record(self._action(obj, "deleted"), obj=obj, by=request.user,
                         changes=audit.diff(audit.snapshot(obj), {}))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)
