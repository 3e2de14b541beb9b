from django import forms
from django.utils.translation import gettext_lazy as _

from servicehall.cases.choices import ApplicantKind, DeliveryMode

from .services import ApplicationData


class ApplicationForm(forms.Form):
    """The applicant's form; required-ness is checked by the submit service, so that a draft
    can be saved half filled."""

    revision = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Applicant kind"), choices=ApplicantKind.choices,
                             widget=forms.RadioSelect)
    name = forms.CharField(label=_("Name of the applicant (person or enterprise)"),
                           max_length=100, required=False)
    id_number = forms.CharField(label=_("ID number"), max_length=20, required=False)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=20,
                                  required=False)
    agent_name = forms.CharField(label=_("Agent's name"), max_length=50, required=False)
    agent_id_number = forms.CharField(label=_("Agent's ID number"), max_length=20,
                                      required=False)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    delivery_mode = forms.ChoiceField(label=_("How the result reaches you"),
                                      widget=forms.RadioSelect)
    postal_address = forms.CharField(label=_("Postal address"), max_length=200,
                                     required=False)
    remarks = forms.CharField(label=_("Remarks to the department"), max_length=2000,
                              required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, delivery_options: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(DeliveryMode.choices)
        field = self.fields["delivery_mode"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(m, labels[m]) for m in delivery_options]

    @classmethod
    def initial_of(cls, application) -> dict:
        data = ApplicationData.of(application)
        return {**data.__dict__, "revision": application.revision}

    def data_object(self) -> ApplicationData:
        c = self.cleaned_data
        return ApplicationData(**{k: c.get(k, "") or ""
                                  for k in ApplicationData.__dataclass_fields__})


class UploadForm(forms.Form):
    material = forms.IntegerField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("File (PDF, JPG or PNG)"), allow_empty_file=True)


class RevisionForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RejectForm(RevisionForm):
    reason = forms.CharField(label=_("Reason for not accepting"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class SupplementForm(RevisionForm):
    """One line per material of the item: tick it and say what to add or correct."""

    note = forms.CharField(label=_("Further explanation"), max_length=1000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, materials, **kwargs):
        super().__init__(*args, **kwargs)
        self.materials = list(materials)
        for material in self.materials:
            self.fields[f"m{material.pk}"] = forms.BooleanField(label=material.name,
                                                                required=False)
            self.fields[f"p{material.pk}"] = forms.CharField(
                label=_("What to add or correct"), max_length=300, required=False,
                widget=forms.TextInput(attrs={"placeholder": _("What to add or correct")}))

    def rows(self):
        return [(m, self[f"m{m.pk}"], self[f"p{m.pk}"]) for m in self.materials]

    def lines(self):
        from .services import NoticeLine

        return [NoticeLine(material_id=m.pk, problem=self.cleaned_data.get(f"p{m.pk}", ""))
                for m in self.materials if self.cleaned_data.get(f"m{m.pk}")]
