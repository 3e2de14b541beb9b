"""What an uploaded file really is, judged by its bytes, not by its name or the type the
browser declared. Plain Python (no Django): the service maps each refusal code to a message.

Only PDF, JPEG and PNG are accepted. The name's extension and the declared content type must
both agree with the content, so an HTML page or a program renamed `.pdf` is refused, and so is
a real PNG renamed `.pdf`. A PDF carrying scripts or launch actions is refused too."""

from dataclasses import dataclass

PDF, JPEG, PNG = "pdf", "jpeg", "png"

MAGIC = ((PDF, b"%PDF-"), (JPEG, b"\xff\xd8\xff"), (PNG, b"\x89PNG\r\n\x1a\n"))
EXTENSIONS = {PDF: (".pdf",), JPEG: (".jpg", ".jpeg"), PNG: (".png",)}
CONTENT_TYPES = {PDF: ("application/pdf",), JPEG: ("image/jpeg", "image/pjpeg"),
                 PNG: ("image/png",)}
# What clients send when they do not know the type: no claim to check.
UNDECLARED = ("", "application/octet-stream")
# Active content a PDF reader may run; an application's scan never needs it.
PDF_ACTIVE = (b"/JavaScript", b"/JS ", b"/JS(", b"/JS<", b"/Launch", b"/EmbeddedFile",
              b"/RichMedia")

EMPTY, TOO_LARGE, UNKNOWN_CONTENT = "empty", "too_large", "unknown_content"
EXTENSION_MISMATCH, TYPE_MISMATCH = "extension_mismatch", "type_mismatch"
PDF_ACTIVE_CONTENT, PDF_TRUNCATED = "pdf_active_content", "pdf_truncated"


class Refused(Exception):
    def __init__(self, code: str, kind: str | None = None):
        self.code, self.kind = code, kind
        super().__init__(code)


@dataclass(frozen=True)
class Verdict:
    kind: str
    extension: str


def sniff(head: bytes) -> str | None:
    """The kind the first bytes announce, or None for anything else."""
    for kind, magic in MAGIC:
        if head.startswith(magic):
            return kind
    return None


def extension_of(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip().lower()
    return "." + base.rsplit(".", 1)[1] if "." in base else ""


def check(*, name: str, declared_type: str, size: int, data: bytes, max_bytes: int) -> Verdict:
    """Accept the file or raise Refused with the first reason found."""
    if size <= 0 or not data:
        raise Refused(EMPTY)
    if size > max_bytes:
        raise Refused(TOO_LARGE)
    kind = sniff(data[:16])
    if kind is None:
        raise Refused(UNKNOWN_CONTENT)
    extension = extension_of(name)
    if extension not in EXTENSIONS[kind]:
        raise Refused(EXTENSION_MISMATCH, kind)
    declared = declared_type.split(";", 1)[0].strip().lower()
    if declared not in UNDECLARED and declared not in CONTENT_TYPES[kind]:
        raise Refused(TYPE_MISMATCH, kind)
    if kind == PDF:
        _check_pdf(data)
    return Verdict(kind=kind, extension=EXTENSIONS[kind][0])


def _check_pdf(data: bytes) -> None:
    if b"%%EOF" not in data[-2048:]:
        raise Refused(PDF_TRUNCATED, PDF)
    if any(marker in data for marker in PDF_ACTIVE):
        raise Refused(PDF_ACTIVE_CONTENT, PDF)
