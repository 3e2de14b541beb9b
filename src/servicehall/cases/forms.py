from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from servicehall.accounts.choices import DEPARTMENT_ROLES

from .choices import (
    RETURN_REASONS,
    AcceptanceMode,
    AppealResult,
    ApplicantKind,
    CaseStatus,
    Decision,
    DeliveryMode,
    IntakeOutcome,
    PauseKind,
)

OUTCOME_CHOICES = [("", _("As the materials suggest")), *IntakeOutcome.choices]


class IntakeForm(forms.Form):
    applicant_kind = forms.ChoiceField(label=_("Applicant kind"), choices=ApplicantKind.choices,
                                       widget=forms.RadioSelect, initial=ApplicantKind.PERSON)
    name = forms.CharField(label=_("Applicant name"), max_length=100)
    id_number = forms.CharField(label=_("ID number"), max_length=20, required=False)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=20,
                                  required=False)
    agent_name = forms.CharField(label=_("Agent"), max_length=50, required=False)
    agent_id_number = forms.CharField(label=_("Agent ID number"), max_length=20,
                                      required=False)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    received = forms.TypedMultipleChoiceField(label=_("Materials received"), coerce=int,
                                              required=False,
                                              widget=forms.CheckboxSelectMultiple)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=OUTCOME_CHOICES, required=False)
    override_reason = forms.CharField(label=_("Reason for another outcome"), max_length=200,
                                      required=False)
    return_reasons = forms.MultipleChoiceField(label=_("Return reasons"),
                                               choices=list(RETURN_REASONS.items()),
                                               required=False,
                                               widget=forms.CheckboxSelectMultiple)
    return_note = forms.CharField(label=_("Return explanation"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    acceptance_mode = forms.ChoiceField(label=_("Acceptance mode"),
                                        choices=AcceptanceMode.choices,
                                        initial=AcceptanceMode.STANDARD, required=False,
                                        widget=forms.RadioSelect)
    commitment_signed = forms.BooleanField(
        label=_("The applicant signed the written commitment that the conditions are met"),
        required=False)

    def __init__(self, *args, materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        received = self.fields["received"]
        assert isinstance(received, forms.ChoiceField)
        received.choices = [(m.pk, m.name) for m in materials]

    def clean_acceptance_mode(self):
        return self.cleaned_data["acceptance_mode"] or AcceptanceMode.STANDARD


class CaseActionForm(forms.Form):
    """A form on the case page; `case` gives choices that depend on the case."""

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case

    def set_choices(self, name: str, choices: list) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class DecideForm(CaseActionForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    note = forms.CharField(label=_("Reasons or conditions"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    certificate_number = forms.CharField(label=_("Certificate number"), max_length=60,
                                         required=False)
    delivery_mode = forms.ChoiceField(label=_("Delivery"), choices=DeliveryMode.choices,
                                      required=False)
    expected_revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        if case is not None:
            offered = set(case.item_version.delivery_modes) or {DeliveryMode.WINDOW}
            self.set_choices("delivery_mode", [c for c in DeliveryMode.choices
                                               if c[0] in offered])


class OpinionForm(CaseActionForm):
    opinion = forms.CharField(label=_("Opinion"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))
    expected_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ColleagueForm(CaseActionForm):
    user = forms.TypedChoiceField(label=_("Colleague"), coerce=int)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        if case is not None:
            colleagues = get_user_model().objects.filter(
                department_id=case.department_id, is_active=True,
                role__in=DEPARTMENT_ROLES).order_by("full_name", "username")
            self.set_choices("user", [(u.pk, str(u)) for u in colleagues])


class MaterialsForm(CaseActionForm):
    """Materials of the case: the received ones (to ask again) or the tolerated ones."""

    materials = forms.TypedMultipleChoiceField(label=_("Materials"), coerce=int,
                                               widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    tolerated_only = False

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        if case is not None:
            rows = case.materials.select_related("material").order_by("material__position")
            rows = (rows.filter(received=False, due_on__isnull=False) if self.tolerated_only
                    else rows.filter(received=True))
            self.set_choices("materials", [(r.material_id, r.material.name) for r in rows])


class ToleratedMaterialsForm(MaterialsForm):
    tolerated_only = True


class ReviewForm(CaseActionForm):
    confirm = forms.TypedChoiceField(label=_("Conclusion"), coerce=lambda v: v == "1",
                                     choices=[("1", _("Return confirmed")),
                                              ("0", _("Accept the application"))])
    note = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionForm(CaseActionForm):
    working_days = forms.IntegerField(label=_("Extra working days"), min_value=1, max_value=60)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ApprovalForm(CaseActionForm):
    approve = forms.TypedChoiceField(label=_("Decision"), coerce=lambda v: v == "1",
                                     choices=[("1", _("Grant")), ("0", _("Refuse"))])
    note = forms.CharField(label=_("Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class DeliverForm(CaseActionForm):
    mode = forms.ChoiceField(label=_("Delivery"), choices=DeliveryMode.choices)
    tracking_number = forms.CharField(label=_("Postal tracking number"), max_length=40,
                                      required=False)


class VerifyForm(CaseActionForm):
    passed = forms.TypedChoiceField(label=_("Result"), coerce=lambda v: v == "1",
                                    choices=[("1", _("Conditions met")),
                                             ("0", _("Conditions not met: revoke"))])
    note = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 2}))


class SuspendForm(CaseActionForm):
    kind = forms.ChoiceField(label=_("Special procedure"), choices=[
        c for c in PauseKind.choices if c[0] != PauseKind.REPORTED_UP])
    reason = forms.CharField(label=_("Reason"), max_length=300)
    expected_working_days = forms.IntegerField(label=_("Expected length (working days)"),
                                               min_value=1, max_value=365, required=False)


class TextForm(CaseActionForm):
    text = forms.CharField(label=_("Text"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class AppealDecisionForm(CaseActionForm):
    result = forms.ChoiceField(label=_("Result"), choices=AppealResult.choices)
    note = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 2}))


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Case number or applicant"), max_length=100, required=False)
    item = forms.CharField(label=_("Service item"), max_length=100, required=False)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status")), *CaseStatus.choices])
    received_from = forms.DateField(label=_("Received from"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))
    received_to = forms.DateField(label=_("Received until"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and end < start:
            self.add_error("received_to", _("The end date is before the start date."))
        return data
