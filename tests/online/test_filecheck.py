"""An upload is judged by its bytes: the name and the declared type must agree with them."""

import pytest

from servicehall.online import filecheck
from servicehall.online.filecheck import Refused, check

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40
MB = 1024 * 1024


def verdict(data, name="scan.pdf", declared="application/pdf", max_bytes=MB):
    return check(name=name, declared_type=declared, size=len(data), data=data,
                 max_bytes=max_bytes)


def refusal(*args, **kwargs) -> str:
    with pytest.raises(Refused) as refused:
        verdict(*args, **kwargs)
    return refused.value.code


def test_a_real_pdf_named_pdf_is_accepted():
    assert verdict(PDF).kind == "pdf"


@pytest.mark.parametrize("name,declared,data,kind", [
    ("photo.JPG", "image/jpeg", JPEG, "jpeg"),
    ("photo.jpeg", "image/pjpeg", JPEG, "jpeg"),
    ("scan.png", "image/png", PNG, "png"),
    ("scan.pdf", "", PDF, "pdf"),
    ("scan.pdf", "application/octet-stream", PDF, "pdf"),
])
def test_each_accepted_kind_with_its_extension_and_type(name, declared, data, kind):
    assert verdict(data, name=name, declared=declared).kind == kind


def test_zero_bytes_are_refused():
    assert refusal(b"") == filecheck.EMPTY


def test_a_file_over_the_limit_is_refused():
    assert refusal(PDF + b" " * 100, max_bytes=50) == filecheck.TOO_LARGE


@pytest.mark.parametrize("data", [
    b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 60,            # a Windows program
    b"<!DOCTYPE html><html><script>alert(1)</script></html>",  # a web page
    b"PK\x03\x04" + b"\x00" * 30,                              # a zip / docx
    b"just some text",
])
def test_a_disguised_file_named_pdf_is_refused(data):
    assert refusal(data, name="营业执照.pdf") == filecheck.UNKNOWN_CONTENT


def test_a_real_png_renamed_pdf_is_refused_for_its_extension():
    assert refusal(PNG, name="scan.pdf", declared="application/pdf") == \
        filecheck.EXTENSION_MISMATCH


def test_a_file_without_extension_is_refused():
    assert refusal(PDF, name="scan") == filecheck.EXTENSION_MISMATCH


def test_a_declared_type_that_contradicts_the_content_is_refused():
    assert refusal(PDF, name="scan.pdf", declared="text/html") == filecheck.TYPE_MISMATCH


def test_a_pdf_with_javascript_is_refused():
    data = b"%PDF-1.4\n1 0 obj<</OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n%%EOF"
    assert refusal(data) == filecheck.PDF_ACTIVE_CONTENT


def test_a_truncated_pdf_is_refused():
    assert refusal(b"%PDF-1.4\n1 0 obj<<>>endobj\n" + b"x" * 3000) == filecheck.PDF_TRUNCATED


def test_the_extension_is_read_from_the_last_dot_of_the_base_name():
    assert filecheck.extension_of("C:\\scans\\a.b\\执照.PDF") == ".pdf"
    assert filecheck.extension_of("report.pdf.exe") == ".exe"
