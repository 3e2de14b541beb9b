"""Online applications for the demo hall: drafts of the demo applicant, and submitted ones
waiting in the pre-review queues of the market regulation and police departments."""

import random

from django.core.cache import cache
from django.utils import timezone

from servicehall.accounts.choices import Role
from servicehall.accounts.models import User
from servicehall.cases.demo import id_number, mobile, person_name
from servicehall.catalog.demo.loader import DEMO_PASSWORD
from servicehall.catalog.models import ServiceItem
from servicehall.core.models import Center

from . import services
from .eligibility import accepts_online, delivery_options
from .models import Application

SCAN = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n")
DEPARTMENTS = ("SCJG", "GAJ")
APPLICANTS = 5
SUBMITTED_PER_DEPARTMENT = 3


def _online_items(center: Center, department_code: str) -> list[ServiceItem]:
    items = (ServiceItem.objects.filter(center=center, department__code=department_code,
                                        is_active=True)
             .select_related("current_version").order_by("code"))
    return [i for i in items if i.current_version and accepts_online(
        i.current_version.online_depth)]


def _applicants(center: Center, rng: random.Random) -> list[User]:
    users = list(User.objects.filter(role=Role.APPLICANT, username="applicant"))
    for n in range(1, APPLICANTS):
        user, created = User.objects.get_or_create(
            username=f"online_applicant{n}",
            defaults={"role": Role.APPLICANT, "full_name": person_name(rng),
                      "phone": mobile(rng),
                      "id_number": id_number(rng, adult_on=timezone.localdate())})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        users.append(user)
    for user in users:
        if not user.phone:
            user.phone = mobile(rng)
            user.save(update_fields=["phone"])
    return users


def _filled(application: Application, user: User, *, rng: random.Random, upload_all: bool):
    version = application.item_version
    options = delivery_options(max_visits=version.max_visits,
                               delivery_modes=list(version.delivery_modes))
    mode = rng.choice(options)
    data = services.ApplicationData(
        kind="person", name=user.full_name.split("(")[0], id_number=user.id_number,
        phone=user.phone, delivery_mode=mode,
        postal_address="深圳市福田区福中三路市民中心B区" if mode == "post" else "")
    application = services.application_save(application=application, data=data,
                                             expected_revision=application.revision, by=user)
    materials = [m for m in version.materials.order_by("position")
                 if m.is_required or upload_all]
    for material in materials if upload_all else materials[:1]:
        services.application_file_add(application=application, material_id=material.pk,
                                      name=f"{material.name[:60]}.pdf",
                                      content_type="application/pdf", data=SCAN, by=user)
    application.refresh_from_db()
    return application


def load_online_demo(center: Center, *, log=print, seed: int = 6) -> int:
    """Create the demo applications once; returns how many were made (0 when present)."""
    if Application.objects.filter(center=center).exists():
        log("The online applications of the demo hall are already loaded.")
        return 0
    rng = random.Random(seed)
    users = _applicants(center, rng)
    made = 0
    cache.clear()  # the upload rate limit counts per applicant; the loader uploads in bulk
    for code in DEPARTMENTS:
        items = _online_items(center, code)
        for n, item in enumerate(items[:SUBMITTED_PER_DEPARTMENT + 1]):
            user = users[(made + 1) % len(users)]
            application = _filled(services.application_start(item=item, by=user), user,
                                  rng=rng, upload_all=True)
            if n < SUBMITTED_PER_DEPARTMENT:
                services.application_submit(application=application,
                                            expected_revision=application.revision, by=user)
            made += 1
        if items:  # the demo applicant's own half-finished draft
            _filled(services.application_start(item=items[-1], by=users[0]), users[0],
                    rng=rng, upload_all=False)
            made += 1
    cache.clear()
    log(f"  {made} online applications (submitted ones wait at /staff/online/; "
        f"applicants: applicant, online_applicant1…{APPLICANTS - 1}, password {DEMO_PASSWORD})")
    return made
