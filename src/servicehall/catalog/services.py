from django.db import IntegrityError
from django.utils.translation import gettext as _

from servicehall.core import audit
from servicehall.core.audited import audited_service
from servicehall.core.errors import Conflict, ValidationFailed
from servicehall.core.models import Center
from servicehall.core.permissions import require_perm

from .elements import ItemElements, check_elements
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
from .search.index import item_index
from .selectors import item_elements


def _resolve_related(*, center: Center, elements: ItemElements):
    themes = list(Theme.objects.filter(center=center, name__in=elements.theme_names))
    joints = list(Department.objects.filter(center=center,
                                            code__in=elements.joint_department_codes))
    errors: dict[str, list[str]] = {}
    unknown_themes = set(elements.theme_names) - {t.name for t in themes}
    if unknown_themes:
        errors["theme_names"] = [_("Unknown themes: {names}.").format(
            names=", ".join(sorted(unknown_themes)))]
    unknown_departments = set(elements.joint_department_codes) - {d.code for d in joints}
    if unknown_departments:
        errors["joint_department_codes"] = [_("Unknown department codes: {codes}.").format(
            codes=", ".join(sorted(unknown_departments)))]
    return themes, joints, errors


def _checked(*, center: Center, elements: ItemElements, department: Department):
    errors = check_elements(elements)
    themes, joints, related_errors = _resolve_related(center=center, elements=elements)
    errors.update(related_errors)
    if department.code in elements.joint_department_codes:
        errors.setdefault("joint_department_codes", []).append(
            _("The lead department cannot also be a co-department."))
    if errors:
        raise ValidationFailed(fields=errors)
    return themes, joints


def _write_version(*, item: ServiceItem, number: int, elements: ItemElements, themes, joints,
                   by, change_note: str) -> ItemVersion:
    version = ItemVersion.objects.create(
        item=item, number=number, name=elements.name, created_by=by, change_note=change_note,
        charges_fee=bool(elements.fees),
        **{name: getattr(elements, name) for name in (
            "basic_code", "main_item", "sub_item", "variant", "kind", "processing_type",
            "legal_limit", "legal_limit_unit", "promised_limit", "promised_limit_unit",
            "legal_basis", "conditions", "max_visits", "online_depth", "is_bookable",
            "silent_consent",
            "delivery_modes", "consultation_phone", "complaint_phone", "keywords")})
    version.themes.set(themes)
    version.joint_departments.set(joints)
    Material.objects.bulk_create(
        Material(version=version, position=position, name=m.name, is_required=m.is_required,
                 is_key=m.is_key, form=m.form, copies=m.copies, medium=m.medium, source=m.source,
                 notes=m.notes, sample_file=m.sample_file)
        for position, m in enumerate(elements.materials, start=1))
    FeeItem.objects.bulk_create(
        FeeItem(version=version, position=position, name=f.name, standard=f.standard,
                amount=f.amount, legal_basis=f.legal_basis)
        for position, f in enumerate(elements.fees, start=1))
    ProcessStep.objects.bulk_create(
        ProcessStep(version=version, position=position, name=s.name, budget_days=s.budget_days)
        for position, s in enumerate(elements.steps, start=1))
    return version


@audited_service("catalog.item_create")
def item_create(*, department: Department, code: str, elements: ItemElements, by,
                change_note: str = "") -> ServiceItem:
    require_perm(by, "catalog.change_item", department)
    center = department.center
    themes, joints = _checked(center=center, elements=elements, department=department)
    if not code.strip():
        raise ValidationFailed(fields={"code": [_("This field is required.")]})
    if ServiceItem.objects.filter(center=center, code=code).exists():
        raise ValidationFailed(fields={"code": [_("This implementation code is already used "
                                                  "in the center.")]})
    item = ServiceItem.objects.create(center=center, department=department, code=code)
    version = _write_version(item=item, number=1, elements=elements, themes=themes,
                             joints=joints, by=by, change_note=change_note or "新建事项")
    item.current_version = version
    item.save(update_fields=["current_version", "updated_at"])
    item_index(item=item)
    audit.record("catalog.item_created", obj=item, by=by,
                 changes=audit.diff({}, elements.as_dict()))
    return item


@audited_service("catalog.item_update")
def item_update(*, item: ServiceItem, elements: ItemElements, by,
                expected_version: int | None = None, change_note: str = "") -> ServiceItem:
    """Publish the edited elements as a new version. Nothing changed: no new version.
    `expected_version` is the version the editor started from; if someone else published
    meanwhile, the edit is refused rather than silently overwriting theirs."""
    item = (ServiceItem.objects.select_for_update(of=("self",))
            .select_related("center", "department").get(pk=item.pk))
    require_perm(by, "catalog.change_item", item)
    current = item.version
    if expected_version is not None and current.number != expected_version:
        raise Conflict(_("Version {number} was published by someone else while you were "
                         "editing; reload the item and apply your changes again.").format(
            number=current.number))
    themes, joints = _checked(center=item.center, elements=elements, department=item.department)
    before = item_elements(current)
    if before == elements:
        return item
    version = _write_version(item=item, number=current.number + 1, elements=elements,
                             themes=themes, joints=joints, by=by, change_note=change_note)
    item.current_version = version
    try:
        item.save(update_fields=["current_version", "updated_at"])
    except IntegrityError as clash:  # two writers computed the same number without the lock
        raise Conflict() from clash
    item_index(item=item)
    audit.record("catalog.item_updated", obj=item, by=by,
                 changes=audit.diff(before.as_dict(), elements.as_dict()))
    return item


@audited_service("catalog.item_publish")
def item_set_published(*, item: ServiceItem, published: bool, by) -> ServiceItem:
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    require_perm(by, "catalog.change_item", item)
    if item.is_active != published:
        item.is_active = published
        item.save(update_fields=["is_active", "updated_at"])
        item_index(item=item)
        audit.record("catalog.item_published" if published else "catalog.item_withdrawn",
                     obj=item, by=by, changes={"is_active": [not published, published]})
    return item


@audited_service("catalog.department_save")
def department_save(*, center: Center, code: str, name: str, short_name: str, phone: str = "",
                    sort_order: int = 0, by) -> Department:
    """Create the department with this code, or update it; audited either way."""
    require_perm(by, "catalog.change_department", center)
    if not code.strip() or not name.strip():
        raise ValidationFailed(fields={"code": [_("Code and name are required.")]})
    department = Department.objects.select_for_update().filter(center=center, code=code).first()
    before = audit.snapshot(department) if department else {}
    department = department or Department(center=center, code=code)
    department.name, department.short_name = name, short_name or name
    department.phone, department.sort_order = phone, sort_order
    department.save()
    changes = audit.diff(before, audit.snapshot(department))
    if changes:
        audit.record("catalog.department_saved", obj=department, by=by, changes=changes)
    return department


def theme_ensure(*, center: Center, name: str, audience: str, sort_order: int = 0,
                 by) -> Theme:
    theme, created = Theme.objects.get_or_create(
        center=center, name=name, defaults={"audience": audience, "sort_order": sort_order})
    if created:
        audit.record("catalog.theme_created", obj=theme, by=by)
    return theme


@audited_service("catalog.synonym_save")
def synonym_save(*, center: Center, phrase: str, terms: list[str], by) -> Synonym:
    """Set what a colloquial phrase stands for in the center's search (create or replace)."""
    require_perm(by, "catalog.change_department", center)
    phrase, terms = phrase.strip(), [t.strip() for t in terms if t.strip()]
    errors = {}
    if not phrase or len(phrase) > 40:
        errors["phrase"] = [_("The phrase is 1 to 40 characters.")]
    if not terms or len("、".join(terms)) > 200:
        errors["terms"] = [_("Give 1 to 200 characters of catalog terms.")]
    if errors:
        raise ValidationFailed(fields=errors)
    synonym = Synonym.objects.select_for_update().filter(center=center, phrase=phrase).first()
    before = audit.snapshot(synonym) if synonym else {}
    synonym = synonym or Synonym(center=center, phrase=phrase)
    synonym.terms = "、".join(terms)
    synonym.save()
    changes = audit.diff(before, audit.snapshot(synonym))
    if changes:
        audit.record("catalog.synonym_saved", obj=synonym, by=by, changes=changes)
    return synonym


@audited_service("catalog.window_save")
def window_save(*, center: Center, number: str, by, department: Department | None = None,
                served_departments: list[Department] | None = None, name: str = "",
                opening_hours: list[dict] | None = None, sort_order: int = 0) -> Window:
    """Create or update window `number`: owned by `department`, or comprehensive (serving
    `served_departments`) when no department is given."""
    require_perm(by, "catalog.change_department", center)
    served = served_departments or []
    if department is None and not served:
        raise ValidationFailed(fields={"served_departments": [
            _("A comprehensive window serves at least one department.")]})
    if any(d.center_id != center.pk for d in [*served, *filter(None, [department])]):
        raise ValidationFailed(fields={"department": [
            _("The department belongs to another center.")]})
    window = Window.objects.select_for_update().filter(center=center, number=number).first()
    before = audit.snapshot(window) if window else {}
    window = window or Window(center=center, number=number)
    window.department, window.is_comprehensive = department, department is None
    window.name, window.sort_order = name, sort_order
    if opening_hours is not None:
        window.opening_hours = opening_hours
    window.save()
    window.served_departments.set(served)
    changes = audit.diff(before, audit.snapshot(window))
    if changes:
        audit.record("catalog.window_saved", obj=window, by=by, changes=changes)
    return window
