from datetime import date, datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from servicehall.core.calendar import calendar_for
from servicehall.core.errors import NotFound, ValidationFailed
from servicehall.core.models import Center

from . import selectors, services
from .choices import HandlingVariant, ItemKind, LimitUnit, ProcessingType
from .elements import FeeSpec, ItemElements, MaterialSpec, StepSpec
from .models import ServiceItem
from .search import query as search

router = Router(tags=["catalog"])
guide_router = Router(tags=["guide"])


class MaterialIO(Schema):
    name: str = Field(..., max_length=200)
    is_required: bool = True
    is_key: bool = False
    form: str = "original"
    copies: int = Field(1, ge=1, le=99)
    medium: str = "paper"
    source: str = "applicant"
    notes: str = ""


class FeeIO(Schema):
    name: str = Field(..., max_length=100)
    standard: str = Field(..., max_length=200)
    amount: Decimal | None = None
    legal_basis: str = ""


class StepIO(Schema):
    name: str = Field(..., max_length=40)
    budget_days: Decimal = Decimal("0")


class ElementsIO(Schema):
    basic_code: str = Field(..., max_length=40)
    main_item: str = Field(..., max_length=100)
    sub_item: str = Field("", max_length=100)
    variant: HandlingVariant = HandlingVariant.NEW
    kind: ItemKind
    processing_type: ProcessingType
    legal_limit: int | None = Field(None, ge=0, le=3650)
    legal_limit_unit: LimitUnit = LimitUnit.WORKING
    promised_limit: int = Field(..., ge=0, le=3650)
    promised_limit_unit: LimitUnit = LimitUnit.WORKING
    legal_basis: str = ""
    conditions: str = ""
    max_visits: int = Field(1, ge=0, le=5)
    online_depth: int = Field(2, ge=1, le=4)
    is_bookable: bool = False
    silent_consent: bool = False
    delivery_modes: list[str] = ["window"]
    consultation_phone: str = ""
    complaint_phone: str = ""
    theme_names: list[str] = []
    joint_department_codes: list[str] = []
    keywords: list[str] = []
    materials: list[MaterialIO]
    fees: list[FeeIO] = []
    steps: list[StepIO] = []

    def to_elements(self, keep_files: dict[str, str] | None = None) -> ItemElements:
        data = self.dict()
        keep_files = keep_files or {}
        data["materials"] = [MaterialSpec(**m, sample_file=keep_files.get(m["name"], ""))
                             for m in data["materials"]]
        data["fees"] = [FeeSpec(**f) for f in data["fees"]]
        data["steps"] = [StepSpec(**s) for s in data["steps"]]
        for name in ("variant", "kind", "processing_type", "legal_limit_unit",
                     "promised_limit_unit"):
            data[name] = str(data[name])
        return ItemElements(**data)


class ItemSummary(Schema):
    code: str
    name: str
    department_code: str
    department_name: str
    kind: str
    processing_type: str
    legal_limit: int | None
    legal_limit_unit: str
    promised_limit: int
    promised_limit_unit: str
    version: int
    is_active: bool


class ItemDetail(ItemSummary):
    elements: ElementsIO
    updated_at: datetime


class ItemUpdate(Schema):
    expected_version: int = Field(..., ge=1, description="The version the edit started from.")
    change_note: str = Field("", max_length=200)
    elements: ElementsIO


class ItemCreate(Schema):
    code: str = Field(..., max_length=40)
    department_code: str
    change_note: str = Field("", max_length=200)
    elements: ElementsIO


class VersionOut(Schema):
    number: int
    name: str
    change_note: str
    created_by: str
    created_at: datetime


class DepartmentOut(Schema):
    code: str
    name: str
    short_name: str
    phone: str
    item_count: int


class GuideItem(Schema):
    code: str
    name: str
    department: str
    processing_type: str
    promised_limit: int
    promised_limit_unit: str
    due_if_accepted_today: date | None


def _summary(item) -> dict:
    v = item.version
    return {"code": item.code, "name": v.name, "department_code": item.department.code,
            "department_name": item.department.short_name, "kind": v.kind,
            "processing_type": v.processing_type, "legal_limit": v.legal_limit,
            "legal_limit_unit": v.legal_limit_unit, "promised_limit": v.promised_limit,
            "promised_limit_unit": v.promised_limit_unit, "version": v.number,
            "is_active": item.is_active}


def _detail(item) -> dict:
    version = selectors.version_detail(version_id=item.current_version_id)
    elements = selectors.item_elements(version)
    return {**_summary(item), "elements": elements.as_dict(), "updated_at": item.updated_at}


@router.get("/items", response=list[ItemSummary], summary="Service items you may see")
def list_items(request, q: str = "", department: str = "", kind: str = "",
               limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0)):
    department_id = None
    if department:
        department_id = (selectors.departments_for_staff(user=request.user)
                         .filter(code=department).values_list("pk", flat=True).first() or -1)
    items = selectors.items_for_staff(user=request.user, query=q, department_id=department_id,
                                      kind=kind)
    return [_summary(item) for item in items[offset:offset + limit]]


@router.get("/items/{code}", response=ItemDetail, summary="One service item with its elements")
def get_item(request, code: str):
    return _detail(selectors.item_for_staff(user=request.user, code=code))


@router.post("/items", response={201: ItemDetail}, summary="Create a service item")
def create_item(request, payload: ItemCreate):
    department = selectors.departments_for_staff(user=request.user).filter(
        code=payload.department_code).first()
    if department is None:
        raise NotFound()
    item = services.item_create(department=department, code=payload.code,
                                elements=payload.elements.to_elements(), by=request.user,
                                change_note=payload.change_note)
    return Status(201, _detail(item))


@router.put("/items/{code}", response=ItemDetail,
            summary="Publish edited elements as a new version")
def update_item(request, code: str, payload: ItemUpdate):
    item = selectors.item_for_staff(user=request.user, code=code)
    current = selectors.version_detail(version_id=item.current_version_id)
    files = {m.name: str(m.sample_file.name) for m in current.materials.all() if m.sample_file}
    item = services.item_update(item=item, elements=payload.elements.to_elements(files),
                                by=request.user, expected_version=payload.expected_version,
                                change_note=payload.change_note)
    return _detail(item)


@router.get("/items/{code}/versions", response=list[VersionOut], summary="Version history")
def list_versions(request, code: str):
    item = selectors.item_for_staff(user=request.user, code=code)
    return [{"number": v.number, "name": v.name, "change_note": v.change_note,
             "created_by": str(v.created_by or ""), "created_at": v.created_at}
            for v in selectors.item_versions(item=item)]


@router.get("/departments", response=list[DepartmentOut], summary="Departments you may see")
def list_departments(request):
    return list(selectors.departments_for_staff(user=request.user))


@router.get("/guide/{center}/items", response=list[GuideItem], auth=None,
            summary="Published items of a center's public guide")
def guide_items(request, center: str, q: str = "", limit: int = Query(50, ge=1, le=500)):
    the_center = get_object_or_404(Center, code=center, is_active=True)
    calendar = calendar_for(the_center)
    today = timezone.localdate()
    result = []
    for item in selectors.published_items(center=the_center, query=q)[:limit]:
        v = item.version
        due = selectors.due_if_accepted(calendar=calendar, version=v, day=today)
        result.append({"code": item.code, "name": v.name,
                       "department": item.department.short_name,
                       "processing_type": v.processing_type,
                       "promised_limit": v.promised_limit,
                       "promised_limit_unit": v.promised_limit_unit,
                       "due_if_accepted_today": due})
    return result


class SearchHit(Schema):
    code: str
    name: str
    department: str
    matched_in: str = Field(..., description="name, keyword or body (materials, conditions)")
    snippet: str = Field("", description="where a material or condition matched")
    processing_type: str
    promised_limit: int
    promised_limit_unit: str
    url: str


class SynonymUsed(Schema):
    phrase: str
    term: str


class SearchOut(Schema):
    query: str
    synonyms: list[SynonymUsed]
    count: int
    results: list[SearchHit]


@guide_router.get("/search", response=SearchOut, auth=None,
                  summary="Search the public guide (Chinese full text, synonyms)")
def guide_search(request, q: str = Query(..., max_length=100), center: str = "",
                 limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0)):

    if not q.strip():
        raise ValidationFailed(fields={"q": [_("Type what you are looking for.")]})
    the_center = (get_object_or_404(Center, code=center, is_active=True) if center
                  else selectors.default_center())
    if the_center is None:
        raise NotFound()
    items = selectors.published_items(center=the_center)
    results = search.items_search(center=the_center, q=q, items=items)
    hits = search.attach_items(results.hits[offset:offset + limit], items)
    return {"query": q, "count": len(results.hits),
            "synonyms": [{"phrase": p, "term": t} for p, t in results.query.synonyms_used],
            "results": [_search_result(h.item, h, the_center) for h in hits if h.item]}


def _search_result(item: ServiceItem, hit, center: Center) -> dict:
    version = item.current_version
    assert version is not None  # a published item has its current version
    return {"code": item.code, "name": hit.name, "department": item.department.short_name,
            "matched_in": hit.matched_in, "snippet": hit.snippet,
            "processing_type": version.processing_type,
            "promised_limit": version.promised_limit,
            "promised_limit_unit": version.promised_limit_unit,
            "url": f"{reverse('guide:item', args=[item.code])}?center={center.code}"}
