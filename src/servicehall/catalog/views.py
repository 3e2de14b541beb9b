from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from servicehall.core.calendar import calendar_for
from servicehall.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from servicehall.core.models import Center

from . import selectors, services
from .choices import ItemKind
from .excel import CatalogImportError, export_catalog, import_catalog
from .forms import (
    CatalogImportForm,
    FeeFormSet,
    ItemElementsForm,
    MaterialFormSet,
    StepFormSet,
    elements_from_forms,
)
from .models import Department, Material, Theme
from .search import query as search

PAGE_SIZE = 30


def _public_center(request) -> Center:
    code = request.GET.get("center", "")
    center = (Center.objects.filter(code=code, is_active=True).first() if code
              else selectors.default_center())
    if center is None:
        raise Http404(_("No service center is configured yet."))
    return center


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


MAX_QUERY_LENGTH = 100


def guide_index(request):
    """The guide's home: search, themes and departments. The old list parameters
    (?q=, ?theme=, ?department=) still give the list."""
    center = _public_center(request)
    if any(request.GET.get(name) for name in ("q", "theme", "department", "all")):
        return _guide_list(request, center,
                           theme_id=_int_or_none(request.GET.get("theme")),
                           department_id=_int_or_none(request.GET.get("department")))
    return render(request, "catalog/guide_home.html", {
        "center": center, "centers": Center.objects.filter(is_active=True).order_by("code"),
        "themes": selectors.themes_with_counts(center=center),
        "departments": selectors.departments_for_guide(center=center),
        "examples": selectors.example_phrases(center=center),
    })


def guide_search(request):
    center = _public_center(request)
    if not request.GET.get("q", "").strip():
        return redirect(f"{reverse('guide:index')}?center={center.code}")
    return _guide_list(request, center)


def guide_theme(request, theme_id: int):
    center = _public_center(request)
    theme = get_object_or_404(Theme, pk=theme_id, center=center)
    return _guide_list(request, center, theme_id=theme.pk, heading=theme.name)


def guide_department(request, code: str):
    center = _public_center(request)
    department = get_object_or_404(Department, center=center, code=code, is_active=True)
    return _guide_list(request, center, department_id=department.pk,
                       heading=department.short_name, department=department)


def _guide_list(request, center, *, theme_id=None, department_id=None, heading="",
                department=None):
    """Browse (a theme, a department, everything) or search within that browse."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    items = selectors.published_items(center=center, department_id=department_id,
                                      theme_id=theme_id)
    results = None
    page: Page  # of search hits, whichever way they were found
    if query:
        results = search.items_search(center=center, q=query, items=items)
        page = Paginator(results.hits, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = search.attach_items(list(page.object_list), items)
    else:
        page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
        # published items always have a current version; the page now holds hits
        page.object_list = [search.Hit(  # type: ignore[misc]
            item_id=i.pk, name=i.current_version.name, tier=0,  # type: ignore[union-attr]
            item=i) for i in page.object_list]
    return render(request, "catalog/guide_list.html", {
        "center": center, "page": page, "query": query, "results": results,
        "words": results.query.words if results else [],
        "heading": heading, "department": department,
        "form_action": request.path if theme_id or department_id else "",
        "theme_id": theme_id, "department_id": department_id,
        "themes": selectors.themes_for_guide(center=center),
        "centers": Center.objects.filter(is_active=True).order_by("code"),
        "examples": selectors.example_phrases(center=center) if results is not None
        and not results.hits else [],
    })


def guide_item(request, code: str):
    center = _public_center(request)
    try:
        item = selectors.published_item(center=center, code=code)
    except NotFound as missing:
        raise Http404(missing.message) from missing
    version = selectors.version_detail(version_id=item.current_version_id)
    today = timezone.localdate()
    return render(request, "catalog/guide_item.html", {
        "center": center, "item": item, "version": version, "today": today,
        "due": selectors.due_if_accepted(calendar=calendar_for(center), version=version,
                                         day=today),
    })


def guide_form_download(request, material_id: int):
    material = get_object_or_404(Material.objects.select_related("version__item"),
                                 pk=material_id, version__item__is_active=True)
    if not material.sample_file:
        raise Http404(_("This material has no blank form."))
    return FileResponse(material.sample_file.open("rb"), as_attachment=True,
                        filename=str(material.sample_file.name).rsplit("/", 1)[-1])


@login_required
def guide_redirect(request):
    center = request.user.center
    url = "guide:index"
    return redirect(f"{redirect(url).url}?center={center.code}" if center else url)


def _staff_only(request) -> None:
    if not request.user.has_perm("catalog.browse_staff_catalog", request.user.center):
        raise PermissionDenied()


@login_required
def staff_items(request):
    _staff_only(request)
    query = request.GET.get("q", "").strip()
    department_id = _int_or_none(request.GET.get("department"))
    kind = request.GET.get("kind", "")
    items = selectors.items_for_staff(user=request.user, query=query,
                                      department_id=department_id, kind=kind)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "catalog/staff_items.html", {
        "page": page, "query": query, "department_id": department_id, "kind": kind,
        "kinds": ItemKind.choices,
        "departments": selectors.departments_for_staff(user=request.user),
        "editable": {item.pk for item in page.object_list
                     if request.user.has_perm("catalog.change_item", item)},
    })


def _edit_forms(request, *, item, version):
    themes = selectors.themes_for_guide(center=item.center)
    departments = [d for d in selectors.departments_for_guide(center=item.center)
                   if d.pk != item.department_id]
    if request.method == "POST":
        return (ItemElementsForm(request.POST, themes=themes, departments=departments),
                MaterialFormSet(request.POST, prefix="materials"),
                FeeFormSet(request.POST, prefix="fees"),
                StepFormSet(request.POST, prefix="steps"))
    elements = selectors.item_elements(version).as_dict()
    initial = {**elements, "expected_version": version.number}
    return (ItemElementsForm(initial=initial, themes=themes, departments=departments),
            MaterialFormSet(initial=elements["materials"], prefix="materials"),
            FeeFormSet(initial=elements["fees"], prefix="fees"),
            StepFormSet(initial=elements["steps"], prefix="steps"))


def _attach_errors(form, error: ValidationFailed) -> None:
    for field, field_messages in error.fields.items():
        target = field if field in form.fields else None
        for message in field_messages:
            form.add_error(target, message)


@login_required
@require_http_methods(["GET", "POST"])
def staff_item_edit(request, code: str):
    item = selectors.item_for_staff(user=request.user, code=code)
    if not request.user.has_perm("catalog.change_item", item):
        raise PermissionDenied()
    version = selectors.version_detail(version_id=item.current_version_id)
    main, materials, fees, steps = _edit_forms(request, item=item, version=version)
    if request.method == "POST" and all(f.is_valid() for f in (main, materials, fees, steps)):
        try:
            updated = services.item_update(
                item=item, elements=elements_from_forms(main, materials, fees, steps),
                by=request.user, expected_version=main.cleaned_data["expected_version"],
                change_note=main.cleaned_data["change_note"])
        except ValidationFailed as invalid:
            _attach_errors(main, invalid)
        except Conflict as conflict:
            main.add_error(None, conflict.message)
        else:
            if updated.current_version_id == version.pk:
                messages.info(request, _("Nothing changed; no new version was published."))
            else:
                messages.success(request, _("Published version {number}.").format(
                    number=updated.current_version.number))
            return redirect("catalog:staff_item_history", code=item.code)
    return render(request, "catalog/staff_item_edit.html", {
        "item": item, "version": version, "form": main, "materials": materials, "fees": fees,
        "steps": steps,
    }, status=400 if request.method == "POST" else 200)


@login_required
def staff_item_history(request, code: str):
    item = selectors.item_for_staff(user=request.user, code=code)
    return render(request, "catalog/staff_item_history.html", {
        "item": item, "history": selectors.version_history(item=item),
        "can_change": request.user.has_perm("catalog.change_item", item),
    })


@login_required
def staff_departments(request):
    _staff_only(request)
    return render(request, "catalog/staff_departments.html", {
        "departments": selectors.departments_for_staff(user=request.user),
        "windows": selectors.windows_for_staff(user=request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def staff_import(request):
    center = request.user.center
    if center is None or not request.user.has_perm("catalog.import_catalog", center):
        raise PermissionDenied()
    form = CatalogImportForm(request.POST or None, request.FILES or None)
    errors, result = [], None
    if request.method == "POST" and form.is_valid():
        try:
            result = import_catalog(center=center, file=form.cleaned_data["file"],
                                    by=request.user)
        except CatalogImportError as failed:
            errors = failed.errors
    return render(request, "catalog/staff_import.html",
                  {"form": form, "errors": errors, "result": result, "center": center},
                  status=400 if errors else 200)


@login_required
def staff_export(request):
    _staff_only(request)
    content = export_catalog(user=request.user)
    filename = f"catalog-{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(content, content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
