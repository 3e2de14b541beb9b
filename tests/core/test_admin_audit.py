import pytest

from servicehall.catalog.models import Department
from servicehall.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_admin_create_change_and_delete_are_audited(admin_client, center):
    admin_client.post("/admin/catalog/department/add/", {
        "center": center.pk, "code": "QXJ", "name": "深圳市气象局", "short_name": "市气象局",
        "phone": "", "sort_order": 1, "is_active": "on"})
    department = Department.objects.get(code="QXJ")
    admin_client.post(f"/admin/catalog/department/{department.pk}/change/", {
        "center": center.pk, "code": "QXJ", "name": "深圳市气象局", "short_name": "气象局",
        "phone": "", "sort_order": 1, "is_active": "on"})
    admin_client.post(f"/admin/catalog/department/{department.pk}/delete/", {"post": "yes"})
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-3:] == ["catalog.department_created", "catalog.department_changed",
                            "catalog.department_deleted"]
    change = AuditEntry.objects.get(action="catalog.department_changed")
    assert change.changes == {"short_name": ["市气象局", "气象局"]}
    assert change.channel == "admin"


def test_admin_user_page_never_shows_the_id_number(admin_client, center):
    from servicehall.accounts.services import user_create

    user = user_create(username="sun", password="Hall2026x!", full_name="孙丽",
                       id_number="11010519491231002X")
    html = admin_client.get(f"/admin/accounts/user/{user.pk}/change/").content.decode()
    assert "11010519491231002X" not in html and "1101**********002X" in html


def test_password_hashes_never_reach_the_audit_log(admin_client, admin_user):
    admin_client.post(f"/admin/accounts/user/{admin_user.pk}/change/", {
        "username": "admin", "full_name": "管理员", "phone": "", "role": "applicant",
        "is_active": "on", "is_staff": "on", "is_superuser": "on",
        "last_login_0": "", "last_login_1": "", "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00"})
    assert AuditEntry.objects.filter(action="accounts.user_changed").exists()
    for entry in AuditEntry.objects.all():
        assert "password" not in entry.changes
        assert admin_user.password not in str(entry.changes)
