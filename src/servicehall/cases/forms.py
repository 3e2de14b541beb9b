from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import RETURN_REASONS, AppealResult, ApplicantKind, Decision, IntakeOutcome, PauseKind

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

    def __init__(self, *args, materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received"].choices = [(m.pk, m.name) for m in materials]


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    note = forms.CharField(label=_("Reasons or conditions"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    expected_revision = forms.IntegerField(widget=forms.HiddenInput)


class SuspendForm(forms.Form):
    kind = forms.ChoiceField(label=_("Special procedure"), choices=[
        c for c in PauseKind.choices if c[0] != PauseKind.REPORTED_UP])
    reason = forms.CharField(label=_("Reason"), max_length=300)
    expected_working_days = forms.IntegerField(label=_("Expected length (working days)"),
                                               min_value=1, max_value=365, required=False)


class TextForm(forms.Form):
    text = forms.CharField(label=_("Text"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class AppealDecisionForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=AppealResult.choices)
    note = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 2}))
