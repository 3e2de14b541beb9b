"""The numbered notice of a case as a PDF, for staff to print or hand over."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from . import selectors
from .documents import notice_kind, notice_pdf


@login_required
def case_notice(request, number: str):
    """The notice that states where the case stands now, shown inline in the browser. A case
    outside the user's department is a 404 (NotFound from the selector)."""
    case = selectors.case_for_staff(user=request.user, number=number)
    kind = notice_kind(case)
    pdf = notice_pdf(case, kind=kind,
                     progress_url=request.build_absolute_uri(f"/progress/{case.number}/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.number}-{kind}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
