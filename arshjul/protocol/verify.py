"""Checks the signatures of a PDF (a protocol's sealed archive copy) with pyHanko's validation."""

from __future__ import annotations

import datetime as dt
import io
import logging
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import pem, x509

from arshjul.protocol.seal import subject_name

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # cryptography's DSA warning, as in arshjul.protocol.seal
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
    from pyhanko.sign.validation.status import (
        ModificationLevel,
        PdfSignatureStatus,
        SignatureCoverageLevel,
    )
    from pyhanko_certvalidator import ValidationContext

# What pyHanko's diff analysis makes of what was written after a signature. Every later
# revision counts as a change to an archive copy, even what pyHanko lets pass as long-term
# validation data: it lets a changed title or author through that way too.
CHANGES = {
    ModificationLevel.NONE: "a revision was added that changes nothing pyHanko can see",
    ModificationLevel.LTA_UPDATES: (
        "a revision was added with document metadata or validation data (DSS, timestamps)"
    ),
    ModificationLevel.FORM_FILLING: "form fields were filled in or signatures added",
    ModificationLevel.ANNOTATIONS: "annotations were added or changed",
    ModificationLevel.OTHER: "the content or structure changed",
}


class NotAPdfError(ValueError):
    """The file cannot be read as a PDF."""


class TrustRootError(ValueError):
    """A file given as a trust root holds no certificate."""


@dataclass(frozen=True)
class SignatureCheck:
    """What the validation found about one signature."""

    field: str
    signer: str  # the certificate's name and organisation
    signed_at: dt.datetime | None
    reason: str | None
    intact: bool  # the signed bytes hash to what the signature says
    valid: bool  # the signature over that hash is sound
    covers_whole_file: bool  # nothing at all was written after it
    changed_after: str | None  # what changed after it beyond long-term validation data
    trusted: bool | None  # the certificate chains to a given root; None: no root given
    problem: str | None = None  # why the signature could not be checked at all

    @property
    def ok(self) -> bool:
        """True when the signature is intact, sound, and nothing changed since (and trusted,
        when roots were given)."""
        return (
            self.problem is None
            and self.intact
            and self.valid
            and self.changed_after is None
            and self.trusted is not False
        )


def load_trust_roots(paths: Iterable[Path]) -> list[x509.Certificate]:
    """Reads the certificates to trust (PEM, one or more, or DER); TrustRootError if none."""
    roots = []
    for path in paths:
        data = path.read_bytes()
        try:
            if pem.detect(data):
                found = [x509.Certificate.load(der) for _, _, der in pem.unarmor(data, True)]
            else:
                found = [x509.Certificate.load(data)]
            for cert in found:
                cert.native  # noqa: B018 - parses it all now, so a bad file is said here
        except ValueError as exc:
            raise TrustRootError(f"{path} holds no certificate (PEM or DER)") from exc
        roots += found
    return roots


@contextmanager
def _quiet_pyhanko() -> Iterator[None]:
    # pyHanko logs a traceback for every chain it cannot build; the report says it in a line.
    log = logging.getLogger("pyhanko")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        log.setLevel(level)


def verify_pdf(data: bytes, trust_roots: list[x509.Certificate]) -> list[SignatureCheck]:
    """Checks every signature in the PDF, oldest first (an empty list: none)."""
    if not data.lstrip()[:5] == b"%PDF-":
        raise NotAPdfError("the file does not start like a PDF (no %PDF- header)")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        raise NotAPdfError(f"the file cannot be read as a PDF: {exc}") from exc
    context = ValidationContext(trust_roots=trust_roots, allow_fetching=False)
    checks = []
    with _quiet_pyhanko():
        for sig in embedded:
            name = sig.field_name or "?"
            try:
                status = validate_pdf_signature(sig, context)
            except (PdfError, ValueError, KeyError) as exc:  # pyHanko's validation errors are these
                checks.append(_unreadable(name, sig, exc))
                continue
            checks.append(_check(name, sig, status, bool(trust_roots)))
    return checks


def _check(
    name: str, sig: EmbeddedPdfSignature, status: PdfSignatureStatus, roots: bool
) -> SignatureCheck:
    changed = None
    if status.coverage == SignatureCoverageLevel.ENTIRE_REVISION:
        level = status.modification_level
        changed = CHANGES.get(level, "the document changed") if level else "the document changed"
    elif status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        changed = "the signature does not cover its whole revision"
    if status.docmdp_ok is False:
        changed = f"{changed or 'changes'}, which the certification does not permit"
    stamp = status.timestamp_validity
    return SignatureCheck(
        field=name,
        signer=subject_name(status.signing_cert.subject),
        signed_at=stamp.timestamp if stamp is not None else status.signer_reported_dt,
        reason=_reason(sig),
        intact=status.intact,
        valid=status.valid,
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        changed_after=changed,
        trusted=status.trusted if roots else None,
    )


def _unreadable(name: str, sig: EmbeddedPdfSignature, exc: Exception) -> SignatureCheck:
    try:
        signer = subject_name(sig.signer_cert.subject)
    except Exception:  # a signature too damaged to name its certificate
        signer = "?"
    return SignatureCheck(
        field=name,
        signer=signer,
        signed_at=None,
        reason=_reason(sig),
        intact=False,
        valid=False,
        covers_whole_file=False,
        changed_after=None,
        trusted=None,
        problem=str(exc) or type(exc).__name__,
    )


def _reason(sig: EmbeddedPdfSignature) -> str | None:
    try:
        value = sig.sig_object.get("/Reason")
    except Exception:  # a damaged signature dictionary
        return None
    return str(value) if value is not None else None
