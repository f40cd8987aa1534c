"""Attachments: only PDF, DOCX and XLSX, recognised by their content, never by the name alone."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_OOXML_PART = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}
_EXTENSION = {".pdf": PDF, ".docx": DOCX, ".xlsx": XLSX}


class UploadRefused(ValueError):
    """An attachment we do not take; `message_sv` says why, `too_large` means 413."""

    def __init__(self, message_sv: str, *, too_large: bool = False) -> None:
        super().__init__(message_sv)
        self.message_sv = message_sv
        self.too_large = too_large


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed the checks, with its real content type."""

    name: str
    content_type: str
    data: bytes


def sniff(data: bytes) -> str | None:
    """Returns the content type that the bytes really are (PDF, DOCX, XLSX), or None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    return next((kind for kind, part in _OOXML_PART.items() if part in names), None)


def safe_name(name: str) -> str:
    """Keeps only the last path part of an uploaded file name, without control characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable()).strip()
    return cleaned[:200] or "bilaga"


def check_upload(name: str, data: bytes, max_bytes: int) -> CheckedFile:
    """Accepts a PDF, DOCX or XLSX whose content matches its name; raises UploadRefused."""
    if len(data) > max_bytes:
        raise UploadRefused(
            f"Filen {safe_name(name)} är för stor (högst {max_bytes // (1024 * 1024) or 1} MB).",
            too_large=True,
        )
    if not data:
        raise UploadRefused(f"Filen {safe_name(name)} är tom.")
    clean = safe_name(name)
    claimed = _EXTENSION.get(clean[clean.rfind(".") :].lower()) if "." in clean else None
    actual = sniff(data)
    if actual is None or claimed != actual:
        raise UploadRefused(
            f"Filen {clean} kan inte tas emot: bara PDF, Word (.docx) och Excel (.xlsx) går att "
            "bifoga, och filens innehåll måste stämma med filändelsen."
        )
    return CheckedFile(name=clean, content_type=actual, data=data)
