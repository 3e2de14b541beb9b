from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet

from servicehall.accounts.choices import DEPARTMENT_ROLES
from servicehall.accounts.scoping import visible_rows
from servicehall.core.compiled import Compiled
from servicehall.core.errors import NotFound
from servicehall.core.models import Center
from servicehall.core.workcalendar import CalendarNotConfigured

from .elements import FeeSpec, ItemElements, MaterialSpec, StepSpec
from .models import Department, ItemVersion, Material, ProcessStep, ServiceItem, Theme, Window

VERSION_DETAIL = ("materials", "fees", "steps", "themes", "joint_departments")


def default_center() -> Center | None:
    """The center the public pages show when none is named: the configured one, else the
    top-level center."""
    from django.conf import settings

    centers = Center.objects.filter(is_active=True)
    if settings.SERVICEHALL_DEFAULT_CENTER:
        return centers.filter(code=settings.SERVICEHALL_DEFAULT_CENTER).first()
    return centers.filter(parent__isnull=True).order_by("code").first()


def _with_current_version(queryset: QuerySet[ServiceItem]) -> QuerySet[ServiceItem]:
    return queryset.select_related("current_version", "department", "center")


def _search(queryset: QuerySet[ServiceItem], query: str) -> QuerySet[ServiceItem]:
    for word in query.split():
        queryset = queryset.filter(Q(current_version__name__icontains=word)
                                   | Q(code__icontains=word)
                                   | Q(current_version__basic_code__icontains=word))
    return queryset


def items_for_staff(*, user, query: str = "", department_id: int | None = None,
                    kind: str = "") -> QuerySet[ServiceItem]:
    """Items a staff member may see: the whole center, or one department for department roles."""
    items = ServiceItem.objects.filter(visible_rows(user))
    if department_id:
        items = items.filter(department_id=department_id)
    if kind:
        items = items.filter(current_version__kind=kind)
    return _with_current_version(_search(items, query.strip()))


def item_for_staff(*, user, code: str, center_id: int | None = None) -> ServiceItem:
    items = ServiceItem.objects.filter(visible_rows(user), code=code)
    if center_id is not None:
        items = items.filter(center_id=center_id)
    item = _with_current_version(items).first()
    if item is None:
        raise NotFound()
    return item


_ITEM_FOR_INTAKE = Compiled(lambda center_id, code: ServiceItem.objects.select_related(
    "center", "department", "current_version").filter(
    center_id=center_id, code=code, is_active=True).order_by()[:1], center_id=int, code=str)


def item_for_intake(*, center_id: int, code: str) -> ServiceItem:
    """An active item of the center, with what an intake reads of it (center, department and
    current version), by the code an API caller names."""
    item = _ITEM_FOR_INTAKE.first(center_id=center_id, code=code)
    if item is None:
        raise NotFound()
    return item


_MATERIALS = Compiled(lambda version_id: Material.objects.filter(version_id=version_id)
                      .order_by("position"), version_id=int)
_STEPS = Compiled(lambda version_id: ProcessStep.objects.filter(version_id=version_id)
                  .order_by("position"), version_id=int)


def _listed(version: ItemVersion, name: str, shape: Compiled) -> list:
    cached = getattr(version, "_prefetched_objects_cache", {}).get(name)
    return list(cached) if cached is not None else shape.all(version_id=version.pk)


def version_materials(version: ItemVersion) -> list[Material]:
    """The version's list of materials in its order (the ones prefetched, if they were)."""
    return _listed(version, "materials", _MATERIALS)


def version_steps(version: ItemVersion) -> list[ProcessStep]:
    """The version's process steps in their order (the ones prefetched, if they were)."""
    return _listed(version, "steps", _STEPS)


def published_items(*, center: Center, query: str = "", department_id: int | None = None,
                    theme_id: int | None = None) -> QuerySet[ServiceItem]:
    items = ServiceItem.objects.filter(center=center, is_active=True,
                                       current_version__isnull=False)
    if department_id:
        items = items.filter(department_id=department_id)
    if theme_id:
        items = items.filter(current_version__themes__id=theme_id)
    return _with_current_version(_search(items, query.strip()))


def published_item(*, center: Center, code: str) -> ServiceItem:
    item = published_items(center=center).filter(code=code).first()
    if item is None:
        raise NotFound()
    return item


def version_detail(*, version_id: int | None) -> ItemVersion:
    """One version with everything an item page or an edit form shows, in 6 queries."""
    if version_id is None:
        raise NotFound()
    return (ItemVersion.objects.select_related("item__department", "created_by")
            .prefetch_related(*VERSION_DETAIL).get(pk=version_id))


def item_versions(*, item: ServiceItem) -> QuerySet[ItemVersion]:
    return item.versions.select_related("created_by").order_by("-number")


def item_elements(version: ItemVersion) -> ItemElements:
    """A version's elements as plain values (materials, fees and steps prefetched or not)."""
    return ItemElements(
        basic_code=version.basic_code, main_item=version.main_item, sub_item=version.sub_item,
        variant=version.variant, kind=version.kind, processing_type=version.processing_type,
        legal_limit=version.legal_limit, legal_limit_unit=version.legal_limit_unit,
        promised_limit=version.promised_limit, promised_limit_unit=version.promised_limit_unit,
        legal_basis=version.legal_basis, conditions=version.conditions,
        max_visits=version.max_visits, online_depth=version.online_depth,
        is_bookable=version.is_bookable, silent_consent=version.silent_consent,
        delivery_modes=list(version.delivery_modes),
        consultation_phone=version.consultation_phone, complaint_phone=version.complaint_phone,
        theme_names=sorted(theme.name for theme in version.themes.all()),
        joint_department_codes=sorted(d.code for d in version.joint_departments.all()),
        keywords=list(version.keywords),
        materials=[MaterialSpec(
            name=m.name, is_required=m.is_required, is_key=m.is_key, form=m.form,
            copies=m.copies, medium=m.medium, source=m.source, notes=m.notes,
            sample_file=m.sample_file.name or "") for m in version.materials.all()],
        fees=[FeeSpec(name=f.name, standard=f.standard, amount=f.amount,
                      legal_basis=f.legal_basis) for f in version.fees.all()],
        steps=[StepSpec(name=s.name, budget_days=Decimal(s.budget_days))
               for s in version.steps.all()],
    )


def departments_for_guide(*, center: Center) -> QuerySet[Department]:
    return (Department.objects.filter(center=center, is_active=True)
            .annotate(item_count=Count("service_items",
                                       filter=Q(service_items__is_active=True)))
            .order_by("sort_order", "code"))


def departments_for_staff(*, user) -> QuerySet[Department]:
    return (Department.objects.filter(visible_rows(user, department_lookup="id"))
            .annotate(item_count=Count("service_items", distinct=True),
                      window_count=Count("windows", distinct=True))
            .order_by("sort_order", "code"))


def themes_for_guide(*, center: Center) -> QuerySet[Theme]:
    return Theme.objects.filter(center=center).order_by("sort_order", "name")


def themes_with_counts(*, center: Center) -> QuerySet[Theme]:
    """The themes with how many published items (current versions only) each gathers,
    enterprise themes first, then those for individuals."""
    published = Q(item_versions__current_for__is_active=True)
    return (themes_for_guide(center=center).order_by("audience", "sort_order", "name")
            .annotate(item_count=Count("item_versions", filter=published, distinct=True)))


def example_phrases(*, center: Center, limit: int = 8) -> list[str]:
    """A few colloquial phrases the search understands, offered as examples."""
    from .models import Synonym

    return list(Synonym.objects.filter(center=center).order_by("pk")
                .values_list("phrase", flat=True)[:limit])


def windows_for_staff(*, user) -> QuerySet[Window]:
    windows = Window.objects.filter(visible_rows(user, department_lookup=None))
    if user.role in DEPARTMENT_ROLES and not user.is_superuser:
        windows = windows.filter(Q(department_id=user.department_id)
                                 | Q(served_departments__id=user.department_id)).distinct()
    return (windows.select_related("department")
            .prefetch_related(Prefetch("served_departments",
                                       queryset=Department.objects.order_by("sort_order")))
            .order_by("sort_order", "number"))


def due_if_accepted(*, calendar, version: ItemVersion, day: date) -> date | None:
    """The promised completion date of a case accepted on `day`, or None when the calendar
    does not reach that far yet."""
    try:
        return calendar.add(day, version.promised_limit, version.promised_limit_unit)
    except CalendarNotConfigured:
        return None


def version_history(*, item: ServiceItem) -> list[dict]:
    """Every version, newest first, with what changed against the one before it."""
    from servicehall.core.audit import diff, to_json_value

    versions = list(ItemVersion.objects.filter(item=item).select_related("created_by")
                    .prefetch_related(*VERSION_DETAIL).order_by("number"))
    history: list[dict] = []
    previous: dict = {}
    for version in versions:
        current = to_json_value(item_elements(version).as_dict())
        history.append({"version": version, "changes": diff(previous, current) if previous
                        else {}})
        previous = current
    return list(reversed(history))
