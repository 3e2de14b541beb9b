"""The supervision board (电子监察) and a card's page: staff pages of the supervision section,
center leaders and administrators; departments open the cards they got."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from servicehall.core import businessday
from servicehall.core.errors import DomainError, NotFound, PermissionDenied

from . import selectors, services
from .choices import CardLevel, CardStatus, LightChoice
from .documents import letter_pdf
from .excel import board_workbook


class TextForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Text"), widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=2000)


def _require_board(user) -> None:
    if not user.has_perm("supervision.view_board", getattr(user, "center", None)):
        raise PermissionDenied()


@login_required
def board(request):
    _require_board(request.user)
    user = request.user
    departments = selectors.department_lights(user=user)
    return render(request, "supervision/board.html", {
        "departments": departments,
        "totals": selectors.light_totals(departments),
        "lights": LightChoice.choices,
        "live": selectors.live_cases(user=user),
        "card_counts": selectors.card_counts(user=user),
        "cards": selectors.recent_cards(user=user),
        "findings": selectors.findings_to_review(user=user),
        "today": businessday.today(),
        "can_supervise": user.has_perm("supervision.supervise", getattr(user, "center", None)),
    })


@login_required
def export(request):
    _require_board(request.user)
    response = HttpResponse(
        board_workbook(user=request.user),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"supervision-{businessday.today():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def card_page(request, pk: int):
    card = selectors.card_for(user=request.user, pk=pk)
    user = request.user
    return render(request, "supervision/card.html", {
        "card": card,
        "can_respond": card.status == CardStatus.ISSUED
        and user.has_perm("supervision.respond_card", card),
        "can_close": card.status != CardStatus.CLOSED
        and user.has_perm("supervision.supervise", card),
        "has_letter": card.level == CardLevel.RED,
        "form": TextForm(),
    })


def _act(request, run, done: str):
    form = TextForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please write the text."))
        return False
    try:
        run(form.cleaned_data["text"])
    except DomainError as refused:
        details = "; ".join(m for ms in refused.fields.values() for m in ms)
        messages.error(request, f"{refused.message} {details}".strip())
        return False
    messages.success(request, done)
    return True


@require_POST
@login_required
def card_respond(request, pk: int):
    card = selectors.card_for(user=request.user, pk=pk)
    _act(request, lambda text: services.card_respond(card=card, response=text, by=request.user),
         _("The response is recorded."))
    return redirect("supervision:card", pk=pk)


@require_POST
@login_required
def card_close(request, pk: int):
    card = selectors.card_for(user=request.user, pk=pk)
    _act(request, lambda text: services.card_close(card=card, note=text, by=request.user),
         _("The card is closed."))
    return redirect("supervision:card", pk=pk)


@login_required
def card_letter(request, pk: int):
    card = selectors.card_for(user=request.user, pk=pk)
    if card.level != CardLevel.RED:
        raise NotFound()
    response = HttpResponse(letter_pdf(card), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="rectification-{card.case.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def finding_review(request, pk: int):
    finding = selectors.finding_for(user=request.user, pk=pk)
    confirm = request.POST.get("decision") == "confirm"
    _act(request, lambda text: services.finding_review(finding=finding, confirm=confirm,
                                                       note=text, by=request.user),
         _("The finding is reviewed."))
    return redirect("supervision:board")
