"""The applicant's own pages of the online hall under /my/: registration, home, my cases, the
notices of a case as PDFs, the enterprise's agents, and the elderly-friendly display switch."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from servicehall.accounts.choices import ApplicantKind, Role
from servicehall.accounts.models import AuthorisedAgent
from servicehall.accounts.services.applicants import (
    TooManyRequests,
    agent_add,
    agent_deactivate,
    applicant_register,
    verification_code_send,
)
from servicehall.cases.documents import notice_pdf
from servicehall.catalog.selectors import default_center
from servicehall.core.errors import DomainError, NotFound, ValidationFailed
from servicehall.core.middleware import client_ip
from servicehall.core.outbox import masked_recipient

from . import display, selectors
from .forms import AgentForm, RegisterForm, add_service_errors

CASES_PER_PAGE = 20
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def applicant_required(view):
    """Signed-in applicants only: visitors go to the applicant sign-in, staff to their desk."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            login_url = resolve_url("portal:login")
            return redirect(f"{login_url}?{urlencode({'next': request.get_full_path()})}")
        if user.role != Role.APPLICANT:
            return redirect("accounts:home")
        return view(request, *args, **kwargs)

    return wrapper


def _page(request, template: str, context: dict, status: int = 200):
    context.setdefault("center", default_center())
    return render(request, template, context, status=status)


@applicant_required
def home(request):
    profile = selectors.profile_of(request.user)
    cases = selectors.applicant_cases(user=request.user, profile=profile)
    return _page(request, "portal/home.html", {
        "profile": profile, "summary": selectors.cases_summary(cases=cases),
        "latest": list(cases[:5]), "tab": "home"})


@applicant_required
def case_list(request):
    cases = selectors.applicant_cases(user=request.user)
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    return _page(request, "portal/cases.html", {"page": page, "tab": "cases"})


@never_cache
@applicant_required
def case_detail(request, number: str):
    try:
        case = selectors.applicant_case(user=request.user, number=number)
    except NotFound:
        raise Http404 from None
    return _page(request, "portal/case.html", {**selectors.case_page(case), "tab": "cases",
                                              "center": case.center})


@never_cache
@applicant_required
def case_document(request, number: str, kind: str):
    """A notice of the applicant's own case, as a PDF to save: the receipt, the supplement or
    return notice, the decision. Another applicant's case is a 404 like a missing one."""
    try:
        case = selectors.applicant_case(user=request.user, number=number)
    except NotFound:
        raise Http404 from None
    if kind not in {d.kind for d in selectors.documents(case)}:
        raise Http404
    pdf = notice_pdf(case, kind=kind,
                     progress_url=request.build_absolute_uri(f"/progress/{case.number}/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{case.number}-{kind}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@applicant_required
@require_http_methods(["GET", "POST"])
def profile(request):
    profile = selectors.profile_of(request.user)
    if profile is None:
        raise Http404
    form = AgentForm(request.POST or None) if profile.is_enterprise else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            agent_add(profile=profile, by=request.user, **form.cleaned_data)
        except ValidationFailed as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The agent was added."))
            return redirect("portal:profile")
    agents = list(profile.agents.all()) if profile.is_enterprise else []
    return _page(request, "portal/profile.html", {
        "profile": profile, "form": form, "agents": agents, "tab": "profile"},
        status=400 if form is not None and form.errors else 200)


@applicant_required
@require_POST
def agent_remove(request, pk: int):
    agent = get_object_or_404(AuthorisedAgent, pk=pk, profile__user=request.user)
    try:
        agent_deactivate(agent=agent, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The agent's authorisation was withdrawn."))
    return redirect("portal:profile")


def _send_code(request, form_kind: str):
    phone = request.POST.get("mobile", "").strip()
    initial = {k: v for k, v in request.POST.items()
               if k not in ("password", "password2", "code", "csrfmiddlewaretoken")}
    form = RegisterForm(initial=initial, kind=form_kind)
    status = 200
    try:
        verification_code_send(phone=phone, ip=client_ip(request))
    except TooManyRequests as error:
        messages.error(request, error.message)
        status = 429
    except ValidationFailed as error:
        messages.error(request, " ".join(m for ms in error.fields.values() for m in ms)
                       or error.message)
        status = 400
    except DomainError as error:
        messages.error(request, error.message)
        status = 400
    else:
        messages.success(request, _("A verification code was sent to {phone}; it is valid "
                                    "for a few minutes.").format(phone=masked_recipient(phone)))
    return form, status


@never_cache
@require_http_methods(["GET", "POST"])
def register(request, kind: str = ApplicantKind.PERSON):
    if request.user.is_authenticated:
        return redirect("portal:home")
    status = 200
    if request.method == "POST" and request.POST.get("action") == "send_code":
        form, status = _send_code(request, kind)
    else:
        form = RegisterForm(request.POST or None, kind=kind)
        if request.method == "POST" and form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "password2"}
            try:
                user = applicant_register(kind=kind, phone=data.pop("mobile"), **data)
            except ValidationFailed as error:
                add_service_errors(form, error)
            else:
                login(request, user, backend=MODEL_BACKEND)
                messages.success(request, _("Welcome! Your account is ready."))
                return redirect("portal:home")
        if form.errors:
            status = 400
    return _page(request, "portal/register.html", {"form": form, "kind": kind},
                 status=status)


@require_GET
def display_mode(request):
    """Switch the elderly-friendly mode on or off, then go back to the page it was asked on."""
    mode = request.GET.get("mode", display.STANDARD)
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = resolve_url("guide:index")
    response = redirect(target)
    if mode == display.ELDERLY:
        response.set_cookie(display.COOKIE, display.ELDERLY, max_age=display.COOKIE_AGE,
                            samesite="Lax", httponly=True, secure=request.is_secure())
    else:
        response.delete_cookie(display.COOKIE, samesite="Lax")
    return response


def sign_in(request):
    """The applicants' sign-in: the staff login's checks and lockout, in the public dress."""
    from servicehall.accounts.views import login_view

    return login_view(request, template_name="portal/login.html",
                      extra_context={"center": default_center()})
