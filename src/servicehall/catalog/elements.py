"""The standard elements of a service item as plain values: what forms, the API and the
Excel import produce, what a version stores, and what is compared to decide whether an edit
changed anything."""

from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .choices import (
    DeliveryMode,
    HandlingVariant,
    ItemKind,
    LimitUnit,
    MaterialForm,
    MaterialMedium,
    MaterialSource,
    ProcessingType,
)

# Item names are catalog data in Chinese whatever the reader's language.
VARIANT_NAME_SUFFIX: dict[str, str] = {
    HandlingVariant.NEW.value: "新办", HandlingVariant.CHANGE.value: "变更",
    HandlingVariant.RENEW.value: "延续", HandlingVariant.CANCEL.value: "注销"}


@dataclass
class MaterialSpec:
    name: str
    is_required: bool = True
    is_key: bool = False
    form: str = MaterialForm.ORIGINAL
    copies: int = 1
    medium: str = MaterialMedium.PAPER
    source: str = MaterialSource.APPLICANT
    notes: str = ""
    sample_file: str = ""


@dataclass
class FeeSpec:
    name: str
    standard: str
    amount: Decimal | None = None
    legal_basis: str = ""


@dataclass
class StepSpec:
    name: str
    budget_days: Decimal = Decimal("0")


@dataclass
class ItemElements:
    basic_code: str
    main_item: str
    kind: str
    processing_type: str
    promised_limit: int
    sub_item: str = ""
    variant: str = HandlingVariant.NEW
    legal_limit: int | None = None
    legal_limit_unit: str = LimitUnit.WORKING
    promised_limit_unit: str = LimitUnit.WORKING
    legal_basis: str = ""
    conditions: str = ""
    max_visits: int = 1
    online_depth: int = 2
    is_bookable: bool = False
    silent_consent: bool = False
    delivery_modes: list[str] = field(default_factory=lambda: [DeliveryMode.WINDOW.value])
    consultation_phone: str = ""
    complaint_phone: str = ""
    theme_names: list[str] = field(default_factory=list)
    joint_department_codes: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    materials: list[MaterialSpec] = field(default_factory=list)
    fees: list[FeeSpec] = field(default_factory=list)
    steps: list[StepSpec] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The display name: main item, sub-item and variant, e.g. 食品经营许可(餐饮服务)(新办)."""
        name = self.main_item
        if self.sub_item:
            name += f"({self.sub_item})"
        if self.variant in VARIANT_NAME_SUFFIX:
            name += f"({VARIANT_NAME_SUFFIX[self.variant]})"
        return name

    def as_dict(self) -> dict:
        return asdict(self)


def _choice_error(value, choices) -> list[str]:
    if value in choices.values:
        return []
    return [_("“{value}” is not one of: {allowed}.").format(
        value=value, allowed=", ".join(str(label) for label in choices.labels))]


def _limit_errors(el: ItemElements) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if el.processing_type == ProcessingType.IMMEDIATE and el.promised_limit != 0:
        errors["promised_limit"] = [_("An immediate item is finished the same day: its "
                                      "promised limit is 0.")]
    if el.legal_limit is None:
        return errors
    same_unit = el.legal_limit_unit == el.promised_limit_unit
    if same_unit and el.promised_limit > el.legal_limit:
        errors["promised_limit"] = [_("The promised time limit cannot exceed the legal time "
                                      "limit.")]
    working_within_natural = (el.promised_limit_unit == LimitUnit.WORKING
                              and el.legal_limit_unit == LimitUnit.NATURAL)
    if working_within_natural and el.promised_limit * 7 > el.legal_limit * 5:
        errors["promised_limit"] = [_("{promised} working days may run past a legal limit of "
                                      "{legal} natural days.").format(
            promised=el.promised_limit, legal=el.legal_limit)]
    return errors


def _material_errors(el: ItemElements) -> list[str]:
    errors = []
    if not el.materials:
        errors.append(_("List at least one material."))
    for index, material in enumerate(el.materials, start=1):
        if not material.name.strip():
            errors.append(_("Material {n}: the name is empty.").format(n=index))
        if material.is_key and not material.is_required:
            errors.append(_("Material {n}: a main material is always required.").format(n=index))
        if material.copies < 1:
            errors.append(_("Material {n}: at least one copy.").format(n=index))
        for name, choices in (("form", MaterialForm), ("medium", MaterialMedium),
                              ("source", MaterialSource)):
            errors += [_("Material {n}: {error}").format(n=index, error=e)
                       for e in _choice_error(getattr(material, name), choices)]
    return errors


def _step_errors(el: ItemElements) -> list[str]:
    errors = []
    for index, step in enumerate(el.steps, start=1):
        if not step.name.strip():
            errors.append(_("Step {n}: the name is empty.").format(n=index))
        if step.budget_days < 0:
            errors.append(_("Step {n}: the time budget cannot be negative.").format(n=index))
    total = sum((step.budget_days for step in el.steps), Decimal("0"))
    if el.promised_limit_unit == LimitUnit.WORKING and total > el.promised_limit:
        errors.append(_("The steps' time budgets add up to {total} working days, more than the "
                        "promised {limit}.").format(total=total, limit=el.promised_limit))
    return errors


MAX_KEYWORDS = 20
MAX_KEYWORD_LENGTH = 20


def _keyword_errors(el: ItemElements) -> list[str]:
    errors = []
    if len(el.keywords) > MAX_KEYWORDS:
        errors.append(_("At most {n} keywords.").format(n=MAX_KEYWORDS))
    for word in el.keywords:
        if not word.strip() or len(word) > MAX_KEYWORD_LENGTH:
            errors.append(_("Keyword “{word}”: 1 to {n} characters.").format(
                word=word, n=MAX_KEYWORD_LENGTH))
    return errors


def check_elements(el: ItemElements) -> dict[str, list[str]]:
    """Every rule an item's elements must meet, as {field: [messages]}; empty when valid."""
    errors: dict[str, list[str]] = {}

    def add(name: str, messages: list[str]) -> None:
        if messages:
            errors.setdefault(name, []).extend(messages)

    for name in ("basic_code", "main_item"):
        if not str(getattr(el, name)).strip():
            add(name, [_("This field is required.")])
    add("kind", _choice_error(el.kind, ItemKind))
    add("processing_type", _choice_error(el.processing_type, ProcessingType))
    add("variant", _choice_error(el.variant, HandlingVariant))
    add("legal_limit_unit", _choice_error(el.legal_limit_unit, LimitUnit))
    add("promised_limit_unit", _choice_error(el.promised_limit_unit, LimitUnit))
    for name, messages in _limit_errors(el).items():
        add(name, messages)
    if not 0 <= el.max_visits <= 5:
        add("max_visits", [_("Between 0 and 5 visits.")])
    if not 1 <= el.online_depth <= 4:
        add("online_depth", [_("Online depth is a level from 1 to 4.")])
    if not el.delivery_modes:
        add("delivery_modes", [_("Choose at least one delivery mode.")])
    for mode in el.delivery_modes:
        add("delivery_modes", _choice_error(mode, DeliveryMode))
    if el.processing_type == ProcessingType.JOINT and not el.joint_department_codes:
        add("joint_department_codes", [_("A joint item names at least one co-department.")])
    add("keywords", _keyword_errors(el))
    add("materials", _material_errors(el))
    add("steps", _step_errors(el))
    for index, fee in enumerate(el.fees, start=1):
        if not fee.name.strip() or not fee.standard.strip():
            add("fees", [_("Fee {n}: name and standard are required.").format(n=index)])
        if fee.amount is not None and fee.amount < 0:
            add("fees", [_("Fee {n}: the amount cannot be negative.").format(n=index)])
    return errors
