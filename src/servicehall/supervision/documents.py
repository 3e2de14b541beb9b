"""The rectification letter (整改通知书) of a red card, as a Chinese PDF (WeasyPrint and the
WenQuanYi font, like the cases' notices). An official document: rendered in Chinese whatever the
language of the page that asks for it."""

from django.template.loader import render_to_string
from django.utils import translation

from servicehall.cases.documents import chinese_date

from .models import Card

DOCUMENT_LANGUAGE = "zh-hans"


def letter_html(card: Card) -> str:
    case = card.case
    with translation.override(DOCUMENT_LANGUAGE):
        return render_to_string("supervision/documents/rectification_letter.html", {
            "card": card, "case": case, "center_name": case.center.name,
            "department": card.department, "item_name": case.item_version.name,
            "staff": card.staff, "promised_due": chinese_date(case.promised_due),
            "issued_on": chinese_date(card.issued_on),
            "yellow": card.case.supervision_cards.filter(level="yellow").first(),
        })


def letter_pdf(card: Card) -> bytes:
    from weasyprint import HTML  # imported on use: loading Pango takes a moment

    return HTML(string=letter_html(card)).write_pdf()
