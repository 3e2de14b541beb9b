"""Applying online: drafts keep what was typed, uploads are checked, a submission needs every
required material, and the department pre-accepts (a case is filed), asks once for everything
missing, or refuses with a reason."""

import pytest

from servicehall.cases.models import Case
from servicehall.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from servicehall.core.models import AuditEntry, OutboxMessage
from servicehall.online import storage
from servicehall.online.models import Application, ApplicationFile
from servicehall.online.services import (
    ApplicationData,
    ApplicationStateError,
    NoticeLine,
    RateLimited,
    application_file_remove,
    application_pre_accept,
    application_reject,
    application_request_supplement,
    application_save,
    application_start,
    application_submit,
    application_withdraw,
)
from tests.online.conftest import PDF, PERSON_DATA, jpeg_bytes, png_bytes

pytestmark = pytest.mark.django_db


def test_a_new_draft_is_filled_in_from_the_account(draft, applicant, online_item):
    assert draft.status == "draft" and draft.applicant == applicant
    assert (draft.applicant_name, draft.phone) == ("孙丽", "13800138000")
    assert draft.applicant_id_number == "11010519491231002X"
    assert draft.item_version == online_item.version and draft.department == online_item.department


def test_an_item_without_online_pre_review_cannot_be_applied_for(counter_item, applicant):
    with pytest.raises(ValidationFailed) as refused:
        application_start(item=counter_item, by=applicant)
    assert "item" in refused.value.fields and not Application.objects.exists()


def test_staff_cannot_apply_online(online_item, reviewer_a):
    with pytest.raises(PermissionDenied):
        application_start(item=online_item, by=reviewer_a)


def test_a_draft_keeps_incomplete_data_and_bumps_its_revision(draft):
    saved = application_save(application=draft, data=ApplicationData(name="孙丽", id_number="1101"),
                             expected_revision=draft.revision, by=draft.applicant)
    fresh = Application.objects.get(pk=draft.pk)
    assert (fresh.applicant_id_number, fresh.revision) == ("1101", draft.revision + 1)
    assert saved.revision == fresh.revision


def test_saving_over_a_newer_revision_is_a_conflict_and_changes_nothing(draft):
    application_save(application=draft, data=PERSON_DATA, expected_revision=draft.revision,
                     by=draft.applicant)
    with pytest.raises(Conflict):
        application_save(application=draft, data=ApplicationData(name="别人"),
                         expected_revision=draft.revision, by=draft.applicant)
    assert Application.objects.get(pk=draft.pk).applicant_name == "孙丽"


def test_someone_elses_draft_is_not_found(draft, other_applicant):
    with pytest.raises(NotFound):
        application_save(application=draft, data=PERSON_DATA, expected_revision=draft.revision,
                         by=other_applicant)


def test_zero_visit_delivery_only_where_the_item_allows_zero_visits(department_a, make_item,
                                                                    applicant):
    one_visit = make_item(department_a, "SCJG-0201", online_depth=3, max_visits=1,
                          delivery_modes=["window", "post"])
    draft = application_start(item=one_visit, by=applicant)
    with pytest.raises(ValidationFailed) as refused:
        application_save(application=draft,
                         data=ApplicationData(name="孙丽", delivery_mode="post"),
                         expected_revision=draft.revision, by=applicant)
    assert "delivery_mode" in refused.value.fields


def test_uploads_are_stored_privately_under_random_names(draft, materials, add_file,
                                                         private_dir, settings):
    upload = add_file(draft, materials[0], name="申请书.pdf")
    path = storage.path_of(upload.stored_name)
    assert path.read_bytes() == PDF and private_dir in path.parents
    assert upload.stored_name not in "申请书.pdf" and len(upload.stored_name) == 40
    assert not str(path).startswith(str(settings.MEDIA_ROOT))
    assert (path.stat().st_mode & 0o777) == 0o600
    assert upload.kind == "pdf" and upload.size == len(PDF)


def test_images_are_measured(draft, materials, add_file):
    png = add_file(draft, materials[1], data=png_bytes((640, 480)), name="a.png",
                   content_type="image/png")
    jpg = add_file(draft, materials[1], data=jpeg_bytes(), name="b.jpg",
                   content_type="image/jpeg")
    assert (png.width, png.height, jpg.kind) == (640, 480, "jpeg")


@pytest.mark.parametrize("data,name,content_type,code", [
    (b"", "scan.pdf", "application/pdf", "file_empty"),
    (b"<html><body>hi</body></html>", "scan.pdf", "application/pdf", "file_unknown_content"),
    (b"MZ\x90\x00" + b"\x00" * 64, "scan.pdf", "application/pdf", "file_unknown_content"),
    (PDF, "scan.png", "image/png", "file_extension_mismatch"),
    (PDF, "scan.pdf", "image/png", "file_type_mismatch"),
    (png_bytes((10, 10)), "tiny.png", "image/png", "file_image_size"),
    (b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "broken.png", "image/png", "file_bad_image"),
])
def test_refused_files_leave_nothing_behind(draft, materials, add_file, private_dir, data,
                                            name, content_type, code):
    with pytest.raises(ValidationFailed) as refused:
        add_file(draft, materials[0], data=data, name=name, content_type=content_type)
    assert refused.value.code == code and refused.value.fields["file"]
    assert not ApplicationFile.objects.exists()
    assert not any(p.is_file() for p in private_dir.rglob("*")) if private_dir.exists() else True


def test_a_file_over_the_size_limit_is_refused(draft, materials, add_file, settings):
    settings.ONLINE_UPLOAD_MAX_BYTES = 40
    with pytest.raises(ValidationFailed) as refused:
        add_file(draft, materials[0])
    assert refused.value.code == "file_too_large"


def test_uploads_are_rate_limited_per_applicant(draft, materials, add_file, settings):
    settings.ONLINE_UPLOADS_PER_WINDOW = 2
    add_file(draft, materials[0])
    add_file(draft, materials[0])
    with pytest.raises(RateLimited):
        add_file(draft, materials[0])
    assert ApplicationFile.objects.count() == 2


def test_a_material_of_another_item_is_refused(draft, item_a, add_file):
    other = item_a.version.materials.first()
    with pytest.raises(ValidationFailed):
        add_file(draft, other)
    assert not ApplicationFile.objects.exists()


def test_removing_a_file_deletes_it_after_commit(draft, materials, add_file,
                                                 django_capture_on_commit_callbacks):
    upload = add_file(draft, materials[0])
    path = storage.path_of(upload.stored_name)
    with django_capture_on_commit_callbacks(execute=True):
        application_file_remove(application=draft, file_id=upload.pk, by=draft.applicant)
    assert not path.exists() and not ApplicationFile.objects.exists()


def test_submit_without_the_required_materials_is_refused_listing_them_all(draft, materials,
                                                                          add_file):
    draft = application_save(application=draft, data=PERSON_DATA,
                             expected_revision=draft.revision, by=draft.applicant)
    add_file(draft, materials[0])
    draft.refresh_from_db()
    with pytest.raises(ValidationFailed) as refused:
        application_submit(application=draft, expected_revision=draft.revision,
                           by=draft.applicant)
    assert materials[1].name in refused.value.fields["materials"][0]
    assert materials[2].name not in refused.value.fields["materials"][0]  # optional
    assert Application.objects.get(pk=draft.pk).status == "draft"


def test_submit_checks_the_applicant_data_all_at_once(draft, materials, add_file):
    for material in materials[:2]:
        add_file(draft, material)
    draft = application_save(application=draft, data=ApplicationData(
        name="", id_number="110105194912310021", phone="123", delivery_mode="post"),
        expected_revision=Application.objects.get(pk=draft.pk).revision, by=draft.applicant)
    with pytest.raises(ValidationFailed) as refused:
        application_submit(application=draft, expected_revision=draft.revision,
                           by=draft.applicant)
    assert {"name", "id_number", "phone", "postal_address"} <= set(refused.value.fields)


def test_a_complete_application_is_submitted(submitted):
    assert submitted.status == "submitted" and submitted.submitted_at
    assert AuditEntry.objects.filter(action="online.submitted").count() == 1


def test_pre_accept_files_an_online_case_with_the_uploaded_materials(submitted, reviewer_a,
                                                                     materials):
    accepted = application_pre_accept(application=submitted, by=reviewer_a)
    case = accepted.case
    assert accepted.status == "pre_accepted" and accepted.reviewed_by == reviewer_a
    assert (case.channel, case.visits, case.applicant_account) == ("online", 0,
                                                                   submitted.applicant)
    assert case.status == "in_progress" and case.item_version == submitted.item_version
    received = set(case.materials.filter(received=True).values_list("material_id", flat=True))
    assert received == {materials[0].pk, materials[1].pk}
    assert OutboxMessage.objects.filter(event="cases.accepted", recipient="13800138000").exists()
    assert AuditEntry.objects.filter(action="online.pre_accepted").count() == 1


def test_a_second_pre_accept_is_a_conflict_and_files_no_second_case(submitted, reviewer_a):
    application_pre_accept(application=submitted, by=reviewer_a)
    with pytest.raises(ApplicationStateError):
        application_pre_accept(application=submitted, by=reviewer_a)
    assert Case.objects.count() == 1
    assert AuditEntry.objects.filter(action="online.pre_accept", outcome="failure").count() == 1


def test_another_departments_reviewer_cannot_pre_review(submitted, reviewer_b):
    with pytest.raises(PermissionDenied):
        application_pre_accept(application=submitted, by=reviewer_b)
    assert not Case.objects.exists()


def test_a_draft_cannot_be_pre_accepted(draft, reviewer_a):
    with pytest.raises(ApplicationStateError):
        application_pre_accept(application=draft, by=reviewer_a)


def test_the_one_time_notice_lists_every_material_and_texts_the_applicant(submitted,
                                                                          reviewer_a,
                                                                          materials):
    asked = application_request_supplement(
        application=submitted, by=reviewer_a, note="请一并提交",
        lines=[NoticeLine(materials[1].pk, "复印件不清晰"),
               NoticeLine(materials[0].pk, "缺少签字")])
    assert asked.status == "supplement_requested"
    assert [line["name"] for line in asked.supplement_notice] == [materials[0].name,
                                                                   materials[1].name]
    sms = OutboxMessage.objects.get(event="online.supplement_requested")
    assert materials[0].name in sms.body and materials[1].name in sms.body


def test_the_applicant_corrects_and_resubmits_then_it_is_pre_accepted(submitted, reviewer_a,
                                                                      materials, add_file):
    asked = application_request_supplement(application=submitted, by=reviewer_a,
                                           lines=[NoticeLine(materials[2].pk, "请补充")])
    add_file(asked, materials[2])
    asked.refresh_from_db()
    again = application_submit(application=asked, expected_revision=asked.revision,
                               by=asked.applicant)
    assert again.status == "submitted"
    with pytest.raises(ApplicationStateError):  # 一次性告知: the notice is given once
        application_request_supplement(application=again, by=reviewer_a,
                                       lines=[NoticeLine(materials[0].pk)])
    accepted = application_pre_accept(application=again, by=reviewer_a)
    assert accepted.case.materials.filter(received=True).count() == 3


def test_a_notice_naming_nothing_is_refused(submitted, reviewer_a):
    with pytest.raises(ValidationFailed):
        application_request_supplement(application=submitted, by=reviewer_a, lines=[])
    assert Application.objects.get(pk=submitted.pk).status == "submitted"


def test_reject_needs_a_reason_and_texts_it(submitted, reviewer_a):
    with pytest.raises(ValidationFailed):
        application_reject(application=submitted, by=reviewer_a, reason="  ")
    rejected = application_reject(application=submitted, by=reviewer_a,
                                  reason="不属于本部门受理范围")
    assert rejected.status == "rejected"
    assert "不属于本部门受理范围" in OutboxMessage.objects.get(event="online.rejected").body
    with pytest.raises(ApplicationStateError):
        application_pre_accept(application=rejected, by=reviewer_a)


def test_a_submitted_application_cannot_be_edited_but_can_be_withdrawn(submitted):
    with pytest.raises(ApplicationStateError):
        application_save(application=submitted, data=PERSON_DATA,
                         expected_revision=submitted.revision, by=submitted.applicant)
    withdrawn = application_withdraw(application=submitted,
                                     expected_revision=submitted.revision,
                                     by=submitted.applicant)
    assert withdrawn.status == "withdrawn"
    with pytest.raises(ApplicationStateError):
        application_withdraw(application=withdrawn, expected_revision=withdrawn.revision,
                             by=withdrawn.applicant)


def test_a_pre_accepted_application_cannot_be_withdrawn(submitted, reviewer_a):
    accepted = application_pre_accept(application=submitted, by=reviewer_a)
    with pytest.raises(ApplicationStateError):
        application_withdraw(application=accepted, expected_revision=accepted.revision,
                             by=accepted.applicant)


def test_a_refused_upload_is_in_the_audit_log(draft, materials, add_file):
    with pytest.raises(ValidationFailed):
        add_file(draft, materials[0], data=b"<html></html>", name="a.pdf")
    entry = AuditEntry.objects.get(action="online.upload", outcome="failure")
    assert "file_unknown_content" in entry.message
