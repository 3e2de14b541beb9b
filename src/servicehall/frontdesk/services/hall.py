"""Setting up the hall floor: business categories, which windows serve them, and the
Saturdays with appointment service."""

from collections.abc import Sequence
from datetime import date

from django.db import IntegrityError
from django.utils.translation import gettext as _

from servicehall.catalog.models import Department, Window
from servicehall.core import audit
from servicehall.core.audited import audited_service
from servicehall.core.errors import ValidationFailed
from servicehall.core.models import Center
from servicehall.core.permissions import require_perm

from ..models import Category, SaturdayService, WindowCategory

SATURDAY = 5


@audited_service("frontdesk.category_save")
def category_save(*, center: Center, code: str, name: str, prefix: str, by,
                  departments: list[Department] | None = None, sort_order: int = 0,
                  backup_threshold: int | None = None, is_bookable: bool = False,
                  slot_minutes: int = 30, slot_capacity: int = 4,
                  daily_capacity: int | None = None) -> Category:
    require_perm(by, "frontdesk.manage_hall", center)
    prefix = prefix.strip().upper()
    if not (1 <= len(prefix) <= 2 and prefix.isascii() and prefix.isalpha()):
        raise ValidationFailed(fields={"prefix": [_("One or two capital letters.")]})
    category = Category.objects.filter(center=center, code=code).first() or Category(
        center=center, code=code)
    before = audit.snapshot(category) if category.pk else {}
    for field, value in dict(name=name, prefix=prefix, sort_order=sort_order,
                             backup_threshold=backup_threshold, is_bookable=is_bookable,
                             slot_minutes=slot_minutes, slot_capacity=slot_capacity,
                             daily_capacity=daily_capacity).items():
        setattr(category, field, value)
    try:
        category.save()
    except IntegrityError:
        raise ValidationFailed(fields={"prefix": [_("This ticket prefix is already used in "
                                                    "the center.")]})
    if departments is not None:
        category.departments.set(departments)
    audit.record("frontdesk.category_saved", obj=category, by=by,
                 changes=audit.diff(before, audit.snapshot(category)))
    return category


@audited_service("frontdesk.window_categories_set")
def window_categories_set(*, window: Window, categories: list[Category], by,
                          backup_for: Sequence[Category] = ()) -> Window:
    """The categories a window serves, and those it backs up at peak."""
    require_perm(by, "frontdesk.manage_hall", window)
    if any(c.center_id != window.center_id for c in [*categories, *backup_for]):
        raise ValidationFailed(fields={"categories": [_("Choose categories of this hall.")]})
    WindowCategory.objects.filter(window=window).delete()
    backups = {c.pk for c in backup_for}
    WindowCategory.objects.bulk_create(
        [WindowCategory(window=window, category=c, is_backup=False) for c in categories
         if c.pk not in backups]
        + [WindowCategory(window=window, category=c, is_backup=True) for c in backup_for])
    audit.record("frontdesk.window_categories_set", obj=window, by=by, changes={
        "categories": [None, [c.code for c in categories]],
        "backup_for": [None, [c.code for c in backup_for]]})
    return window


@audited_service("frontdesk.saturday_service_add")
def saturday_service_add(*, center: Center, day: date, by, note: str = "") -> SaturdayService:
    require_perm(by, "frontdesk.manage_hall", center)
    if day.weekday() != SATURDAY:
        raise ValidationFailed(fields={"day": [_("{day} is not a Saturday.").format(
            day=day.isoformat())]})
    service, created = SaturdayService.objects.get_or_create(center=center, day=day,
                                                             defaults={"note": note})
    if created:
        audit.record("frontdesk.saturday_service_added", obj=service, by=by, center=center)
    return service
