import io

import pytest
from django.core.cache import cache

from servicehall.accounts.choices import Role
from servicehall.online.services import ApplicationData, application_start

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def png_bytes(size=(200, 300)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes(size=(200, 300)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, format="JPEG")
    return buffer.getvalue()


PERSON_DATA = ApplicationData(kind="person", name="孙丽", id_number="11010519491231002X",
                              phone="13800138000")


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    settings.ONLINE_PRIVATE_DIR = tmp_path / "private"
    cache.clear()
    yield settings.ONLINE_PRIVATE_DIR
    cache.clear()


@pytest.fixture
def online_item(department_a, make_item):
    """Food business licence, online pre-review, zero visits: electronic delivery or post."""
    return make_item(department_a, "SCJG-0101", online_depth=4, max_visits=0,
                     delivery_modes=["window", "online", "post"])


@pytest.fixture
def counter_item(department_a, make_item):
    """Only forms to download: not applied for online."""
    return make_item(department_a, "SCJG-0102", main_item="户外广告设置许可", online_depth=2)


@pytest.fixture
def applicant(make_user):
    return make_user(Role.APPLICANT, center=None, username="sunli", full_name="孙丽",
                     phone="13800138000", id_number="11010519491231002X")


@pytest.fixture
def other_applicant(make_user):
    return make_user(Role.APPLICANT, center=None, username="wangwu", full_name="王五")


@pytest.fixture
def materials(online_item):
    return list(online_item.version.materials.order_by("position"))


@pytest.fixture
def draft(online_item, applicant):
    return application_start(item=online_item, by=applicant)


@pytest.fixture
def add_file():
    from servicehall.online.services import application_file_add

    def add(application, material, *, data=PDF, name="scan.pdf", content_type="application/pdf"):
        return application_file_add(application=application, material_id=material.pk,
                                    name=name, content_type=content_type, data=data,
                                    by=application.applicant)
    return add


@pytest.fixture
def submitted(draft, materials, add_file):
    """A complete application waiting for pre-review: the two required materials uploaded."""
    from servicehall.online.services import application_save, application_submit

    draft = application_save(application=draft, data=PERSON_DATA,
                             expected_revision=draft.revision, by=draft.applicant)
    for material in materials[:2]:
        add_file(draft, material)
    draft.refresh_from_db()
    return application_submit(application=draft, expected_revision=draft.revision,
                              by=draft.applicant)
