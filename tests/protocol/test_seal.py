"""The kommun's seal on the archive copy: PAdES made at the anslag, checked by pyHanko's own
validation against a test CA, still PDF/A-2, and `arshjul protocol verify` on good and bad files."""

from __future__ import annotations

import copy
import dataclasses
import io
import logging
import re
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader, PdfWriter
from typer.testing import CliRunner

from arshjul.cli import app
from arshjul.protocol.seal import Seal, SealError, load_seal, sealed_by, write_demo_seal
from arshjul.store.repositories import MeetingRepository
from tests.protocol.ca import ORG, SEAL_NAME, CertAuthority, make_ca
from tests.protocol.conftest import MEETING, Committee, pdf_text, pdfa_part

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def ca(tmp_path: Path) -> CertAuthority:
    """A root CA and the kommun's seal it issued (PKCS#12 in tmp_path)."""
    return make_ca(tmp_path / "ca")


def _archive(c: Committee) -> bytes:
    with c.sessions() as session:
        row = MeetingRepository(session).get(
            org_id="hedemora", committee_id="ksau", meeting=MEETING
        )
        assert row is not None and row.anslag_date is not None
        archive = MeetingRepository(session).archive(meeting_id=row.id)
        assert archive is not None
        return archive.content


def _sealed_copy(c: Committee, ca: CertAuthority) -> bytes:
    c.decide("bun", "remitted", "Åtgärdsplan saknas.")
    c.decide("sof", "approved")
    c.justera(seal=load_seal(ca.p12, ca.passphrase))
    return _archive(c)


def _byte_range(pdf: bytes) -> list[int]:
    found = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf)
    assert found, "no /ByteRange"
    return [int(n) for n in found.groups()]


def assert_verified(pdf: Path, root_pem: Path) -> None:
    """`arshjul protocol verify` finds the test CA's seal intact, whole, unchanged and trusted."""
    result = CliRunner().invoke(app, ["protocol", "verify", str(pdf), "--trust", str(root_pem)])
    assert result.exit_code == 0, result.output
    for line in (
        f"signed by: {SEAL_NAME}, {ORG}",
        "intact (the signed bytes are unchanged): yes",
        "covers the whole file: yes",
        "changed after signing: no",
        "certificate reaches a --trust root: yes",
        "Justerat av Gunnar Ståhl",
        "OK: 1 signature",
    ):
        assert line in result.output
    assert re.search(r"signed at: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", result.output)


def test_the_archive_copy_is_sealed_naming_who_justerade_and_stays_pdfa(
    committee: Committee, ca: CertAuthority
) -> None:
    pdf = _sealed_copy(committee, ca)
    signatures = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    assert len(signatures) == 1
    status = validate_pdf_signature(
        signatures[0], ValidationContext(trust_roots=[ca.root_asn1], allow_fetching=False)
    )
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.modification_level == ModificationLevel.NONE
    assert status.docmdp_ok
    assert status.signing_cert.subject.native["common_name"] == SEAL_NAME
    # The seal names each signer as the login identified them, in role.
    reason = str(signatures[0].sig_object["/Reason"])
    assert "Gunnar Ståhl (ordförande, gunnar.stahl@example.org)" in reason
    assert "Ingrid Falk (justerare, ingrid.falk@example.org)" in reason
    assert str(signatures[0].sig_object["/Location"]) == committee.config.organisation.name
    # Still PDF/A-2u, read by another parser; the document info agrees with the XMP metadata.
    assert pdfa_part(pdf) == ("2", "U")
    reader = PdfReader(io.BytesIO(pdf))
    xmp = reader.xmp_metadata
    assert xmp is not None and reader.metadata is not None
    assert reader.metadata.producer == xmp.pdf_producer
    assert reader.metadata.title == xmp.dc_title["x-default"]
    assert "Gunnar Ståhl, ordförande" in pdf_text(pdf)
    assert sealed_by(pdf) == [f"{SEAL_NAME}, {ORG}"]


def test_verify_says_who_sealed_and_that_nothing_changed(
    committee: Committee, ca: CertAuthority, tmp_path: Path
) -> None:
    good = tmp_path / "protokoll.pdf"
    good.write_bytes(_sealed_copy(committee, ca))
    assert_verified(good, ca.root_pem)
    # Without a root the chain is not judged, and says so.
    untrusted = CliRunner().invoke(app, ["protocol", "verify", str(good)])
    assert untrusted.exit_code == 0 and "not checked against a root" in untrusted.output


def test_verify_finds_a_changed_byte_and_a_change_after_signing(
    committee: Committee, ca: CertAuthority, tmp_path: Path
) -> None:
    pdf = _sealed_copy(committee, ca)
    start, first, _, _ = _byte_range(pdf)
    # One byte of the first revision's Info dictionary (inside the signed range) is changed.
    at = pdf.index(b"/Producer")
    assert start <= at < first
    changed = bytearray(pdf)
    changed[at + 2] ^= 0x01  # "/Producer" -> "/Prnducer"
    tampered = tmp_path / "ändrad.pdf"
    tampered.write_bytes(bytes(changed))
    result = CliRunner().invoke(
        app, ["protocol", "verify", str(tampered), "--trust", str(ca.root_pem)]
    )
    assert result.exit_code == 1, result.output
    assert "intact (the signed bytes are unchanged): NO" in result.output
    assert "signatures do not hold" in result.output

    # An incremental update after the seal (pypdf, as any editor would) changes the title.
    writer = PdfWriter(io.BytesIO(pdf), incremental=True)
    writer.add_metadata({"/Title": "Ett annat protokoll"})
    later = io.BytesIO()
    writer.write(later)
    appended = tmp_path / "tillagd.pdf"
    appended.write_bytes(later.getvalue())
    result = CliRunner().invoke(app, ["protocol", "verify", str(appended)])
    assert result.exit_code == 1, result.output
    assert "intact (the signed bytes are unchanged): yes" in result.output
    assert "covers the whole file: NO" in result.output
    assert "changed after signing: YES: a revision was added with document metadata" in (
        result.output
    )


def test_verify_refuses_what_is_not_a_sealed_pdf(committee: Committee, tmp_path: Path) -> None:
    text = tmp_path / "protokoll.pdf"
    text.write_text("Protokoll, inte en PDF")
    result = CliRunner().invoke(app, ["protocol", "verify", str(text)])
    assert result.exit_code == 2 and "is not a PDF" in result.output
    committee.decide("bun", "approved")
    committee.justera()  # no seal configured
    unsigned = tmp_path / "osignerad.pdf"
    unsigned.write_bytes(_archive(committee))
    result = CliRunner().invoke(app, ["protocol", "verify", str(unsigned)])
    assert result.exit_code == 1 and "has no signature" in result.output


def test_without_a_certificate_the_copy_is_unsigned_and_the_log_says_so(
    committee: Committee, caplog: pytest.LogCaptureFixture
) -> None:
    committee.decide("bun", "approved")
    with caplog.at_level(logging.WARNING):
        committee.justera()
    assert "archive copy of ksau 2026-10-06 stored unsigned" in caplog.text
    assert "ARSHJUL_SIGNING_P12" in caplog.text
    pdf = _archive(committee)
    assert sealed_by(pdf) == [] and pdfa_part(pdf) == ("2", "U")


def test_a_bad_certificate_is_refused_with_a_clear_message(
    ca: CertAuthority, tmp_path: Path
) -> None:
    with pytest.raises(SealError, match="wrong passphrase"):
        load_seal(ca.p12, "fel lösenord")
    with pytest.raises(SealError, match="cannot read the signing certificate"):
        load_seal(tmp_path / "saknas.p12", ca.passphrase)
    garbage = tmp_path / "trasig.p12"
    garbage.write_bytes(b"not a PKCS#12 file")
    with pytest.raises(SealError, match="not a PKCS#12 file"):
        load_seal(garbage, ca.passphrase)


def test_a_seal_that_fails_at_signing_leaves_the_anslag_recorded(
    committee: Committee, ca: CertAuthority, caplog: pytest.LogCaptureFixture
) -> None:
    seal = load_seal(ca.p12, ca.passphrase)
    # The key is gone by the time the anslag is recorded (a token pulled out, a file replaced).
    signer = copy.copy(seal.signer)
    signer.signing_key = None  # type: ignore[assignment]
    broken = dataclasses.replace(seal, signer=signer)
    committee.decide("bun", "approved")
    with caplog.at_level(logging.ERROR):
        committee.justera(seal=broken)
    assert "archive copy of ksau 2026-10-06 stored UNSIGNED" in caplog.text
    pdf = _archive(committee)  # asserts the anslag is recorded and the copy stored
    assert sealed_by(pdf) == []


def test_the_demo_seal_signs_and_says_it_is_a_demo(committee: Committee, tmp_path: Path) -> None:
    p12, passphrase = write_demo_seal(tmp_path / "run", "Hedemora kommun")
    assert write_demo_seal(tmp_path / "run", "Hedemora kommun") == (p12, passphrase)  # kept
    seal: Seal = load_seal(p12, passphrase)
    assert seal.subject.startswith("CN=Demosigill")
    committee.decide("bun", "approved")
    committee.justera(seal=seal)
    out = tmp_path / "demo.pdf"
    out.write_bytes(_archive(committee))
    result = CliRunner().invoke(app, ["protocol", "verify", str(out)])
    assert result.exit_code == 0, result.output
    assert "signed by: Demosigill (arshjul up, ej för skarp drift), Hedemora kommun" in (
        result.output
    )
