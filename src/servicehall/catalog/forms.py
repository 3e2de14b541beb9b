import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import (
    DeliveryMode,
    HandlingVariant,
    ItemKind,
    LimitUnit,
    MaterialForm,
    MaterialMedium,
    MaterialSource,
    OnlineDepth,
    ProcessingType,
)
from .elements import FeeSpec, ItemElements, MaterialSpec, StepSpec


class KeywordsField(forms.CharField):
    """Words separated by 、 , ; or new lines, shown joined by 、; kept in order, no repeats."""

    def prepare_value(self, value):
        return "、".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value) -> list[str]:  # type: ignore[override]  # a list, not a str
        words = [w.strip() for w in re.split(r"[、,，;；\n]+", super().to_python(value) or "")]
        return list(dict.fromkeys(w for w in words if w))


class ItemElementsForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    change_note = forms.CharField(label=_("What changed"), max_length=200)
    basic_code = forms.CharField(label=_("Basic code"), max_length=40)
    main_item = forms.CharField(label=_("Main item"), max_length=100)
    sub_item = forms.CharField(label=_("Sub-item"), max_length=100, required=False)
    variant = forms.ChoiceField(label=_("Handling variant"), choices=HandlingVariant.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices)
    processing_type = forms.ChoiceField(label=_("Handling type"), choices=ProcessingType.choices)
    legal_limit = forms.IntegerField(label=_("Legal time limit"), min_value=0, max_value=3650,
                                     required=False)
    legal_limit_unit = forms.ChoiceField(label=_("Unit"), choices=LimitUnit.choices)
    promised_limit = forms.IntegerField(label=_("Promised time limit"), min_value=0,
                                        max_value=3650)
    promised_limit_unit = forms.ChoiceField(label=_("Unit"), choices=LimitUnit.choices)
    legal_basis = forms.CharField(label=_("Legal basis"), widget=forms.Textarea(attrs={"rows": 2}),
                                  required=False)
    conditions = forms.CharField(label=_("Conditions"), widget=forms.Textarea(attrs={"rows": 3}),
                                 required=False)
    max_visits = forms.IntegerField(label=_("Maximum visits to the hall"), min_value=0,
                                    max_value=5)
    online_depth = forms.TypedChoiceField(label=_("Online depth"), choices=OnlineDepth.choices,
                                          coerce=int)
    is_bookable = forms.BooleanField(label=_("Appointments accepted"), required=False)
    silent_consent = forms.BooleanField(
        label=_("Deemed approved when the legal limit passes (silent consent)"), required=False)
    delivery_modes = forms.MultipleChoiceField(label=_("Delivery modes"),
                                               choices=DeliveryMode.choices,
                                               widget=forms.CheckboxSelectMultiple)
    consultation_phone = forms.CharField(label=_("Consultation phone"), max_length=40,
                                         required=False)
    complaint_phone = forms.CharField(label=_("Complaint phone"), max_length=40, required=False)
    theme_names = forms.MultipleChoiceField(label=_("Themes"), required=False,
                                            widget=forms.CheckboxSelectMultiple)
    joint_department_codes = forms.MultipleChoiceField(label=_("Joint departments"),
                                                       required=False)
    keywords = KeywordsField(
        label=_("Search keywords"), required=False, max_length=500,
        help_text=_("Everyday words applicants use for this service, separated by 、 "
                    "(e.g. 饭店、餐馆、小吃店); the guide's search finds the item by them."))

    def __init__(self, *args, themes=(), departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme_names"].choices = [  # type: ignore[attr-defined]
            (t.name, t.name) for t in themes]
        self.fields["joint_department_codes"].choices = [  # type: ignore[attr-defined]
            (d.code, str(d)) for d in departments]


class MaterialForm_(forms.Form):
    name = forms.CharField(label=_("Material"), max_length=200)
    is_required = forms.BooleanField(label=_("Required"), required=False)
    is_key = forms.BooleanField(label=_("Main"), required=False)
    # Initials equal what a blank row posts, so an untouched extra row counts as unchanged.
    form = forms.ChoiceField(label=_("Form"), choices=MaterialForm.choices,
                             initial=MaterialForm.ORIGINAL)
    copies = forms.IntegerField(label=_("Copies"), min_value=1, max_value=99, initial=1)
    medium = forms.ChoiceField(label=_("Medium"), choices=MaterialMedium.choices,
                               initial=MaterialMedium.PAPER)
    source = forms.ChoiceField(label=_("Source"), choices=MaterialSource.choices,
                               initial=MaterialSource.APPLICANT)
    sample_file = forms.CharField(widget=forms.HiddenInput, required=False)


class FeeForm(forms.Form):
    name = forms.CharField(label=_("Fee"), max_length=100)
    standard = forms.CharField(label=_("Charging standard"), max_length=200)
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=12, decimal_places=2,
                                min_value=0, required=False)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300, required=False)


class StepForm(forms.Form):
    name = forms.CharField(label=_("Step"), max_length=40)
    budget_days = forms.DecimalField(label=_("Working days"), max_digits=5, decimal_places=1,
                                     min_value=0)


MaterialFormSet = forms.formset_factory(MaterialForm_, extra=1, can_delete=True)
FeeFormSet = forms.formset_factory(FeeForm, extra=1, can_delete=True)
StepFormSet = forms.formset_factory(StepForm, extra=1, can_delete=True)


def _kept_rows(formset) -> list[dict]:
    return [f.cleaned_data for f in formset.forms
            if f.has_changed() and f.cleaned_data and not f.cleaned_data.get("DELETE")]


def elements_from_forms(main: ItemElementsForm, materials, fees, steps) -> ItemElements:
    data = {k: v for k, v in main.cleaned_data.items()
            if k not in ("expected_version", "change_note")}
    return ItemElements(
        **data,
        materials=[MaterialSpec(name=m["name"], is_required=m["is_required"] or m["is_key"],
                                is_key=m["is_key"], form=m["form"], copies=m["copies"],
                                medium=m["medium"], source=m["source"],
                                sample_file=m.get("sample_file") or "")
                   for m in _kept_rows(materials)],
        fees=[FeeSpec(name=f["name"], standard=f["standard"], amount=f["amount"],
                      legal_basis=f["legal_basis"]) for f in _kept_rows(fees)],
        steps=[StepSpec(name=s["name"], budget_days=Decimal(s["budget_days"]))
               for s in _kept_rows(steps)],
    )


class CatalogImportForm(forms.Form):
    file = forms.FileField(label=_("Excel workbook (.xlsx)"))
