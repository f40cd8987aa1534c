"""The kommun's seal with its key on a PKCS#11 token (SoftHSM standing in for the kommun's HSM or
a smart card): the same PAdES seal as from PKCS#12, checked by pyHanko's validation against the
test CA and by `arshjul protocol verify`; a wrong PIN or a missing token stops the start with a
clear message, and a token gone at the anslag leaves the anslag recorded."""

from __future__ import annotations

import io
import logging
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pkcs11
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from pkcs11 import Attribute
from pkcs11.util.x509 import decode_x509_certificate
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from arshjul.protocol.seal import Seal, SealError, configured_seal, sealed_by
from arshjul.settings import SealSource, Settings
from arshjul.web.app import create_app
from tests.protocol.ca import ORG, SEAL_NAME, CertAuthority, make_ca
from tests.protocol.conftest import Committee, pdfa_part
from tests.protocol.test_seal import _archive, assert_verified

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

TOKEN, LABEL, PIN, SO_PIN = "Hedemora sigill", "protokollsigill", "246810", "13579111"
SOFTHSM_MODULES = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
)


@dataclass(frozen=True)
class Token:
    """A SoftHSM token holding the test CA's seal key and certificate (and the root)."""

    module: Path
    ca: CertAuthority

    def source(self, **changes: str) -> SealSource:
        """The settings' view of this token, with some values changed."""
        values = {"pkcs11_lib": self.module, "pkcs11_token": TOKEN, "pkcs11_key": LABEL}
        values |= {"pkcs11_pin": PIN} | changes
        return SealSource(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def token(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Token]:
    """One token per test process: SoftHSM reads SOFTHSM2_CONF once, when the module loads."""
    module = next((Path(m) for m in SOFTHSM_MODULES if Path(m).is_file()), None)
    assert module is not None and shutil.which("softhsm2-util"), (
        "SoftHSM is missing: run scripts/test-setup.sh (apt-get install softhsm2)"
    )
    folder = tmp_path_factory.mktemp("softhsm")
    ca = make_ca(folder / "ca")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOFTHSM2_CONF", str(conf))
        key, cert, chain = pkcs12.load_key_and_certificates(
            ca.p12.read_bytes(), ca.passphrase.encode()
        )
        assert key is not None and cert is not None
        pem = folder / "seal-key.pem"
        pem.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        util = ["softhsm2-util", "--token", TOKEN]
        run = {"check": True, "capture_output": True, "env": dict(os.environ)}
        subprocess.run(  # noqa: S603
            ["softhsm2-util", "--init-token", "--free", "--label", TOKEN]
            + ["--so-pin", SO_PIN, "--pin", PIN],
            **run,  # type: ignore[call-overload]
        )
        subprocess.run(  # noqa: S603
            [*util, "--import", str(pem), "--label", LABEL, "--id", "01", "--pin", PIN],
            **run,  # type: ignore[call-overload]
        )
        pem.unlink()
        # The certificates go in through the PKCS#11 interface, as an HSM's own tools do.
        lib = pkcs11.lib(str(module))
        with lib.get_token(token_label=TOKEN).open(rw=True, user_pin=PIN) as session:
            for label, c in ((LABEL, cert), ("rot-CA", chain[0])):
                attrs = decode_x509_certificate(c.public_bytes(serialization.Encoding.DER))
                attrs |= {Attribute.TOKEN: True, Attribute.LABEL: label}
                if label == LABEL:
                    attrs[Attribute.ID] = b"\x01"
                session.create_object(attrs)
        yield Token(module=module, ca=ca)


@pytest.fixture
def open_seal(token: Token) -> Iterator[Seal]:
    """The seal as the web opens it at start; logged out after the test (a PKCS#11 login holds
    for the whole process, so a second login while one is open would not test the PIN)."""
    seal = configured_seal(token.source())
    assert seal is not None
    yield seal
    session = seal.signer.pkcs11_session  # type: ignore[attr-defined]
    try:
        session.close()
    except pkcs11.PKCS11Error:  # closed by the test already
        pass


def _sealed(c: Committee, seal: Seal) -> bytes:
    c.decide("bun", "approved")
    c.justera(seal=seal)
    return _archive(c)


def test_the_token_seals_the_archive_copy_as_the_pkcs12_file_does(
    committee: Committee, token: Token, open_seal: Seal, tmp_path: Path
) -> None:
    assert "CN=Hedemora kommuns sigill" in open_seal.subject
    # A second app in the process (a reload) shares the token's login and seals with it.
    again = configured_seal(token.source())
    assert again is not None and again.subject == open_seal.subject
    pdf = _sealed(committee, again)
    again.signer.pkcs11_session.close()  # type: ignore[attr-defined]
    signatures = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    assert len(signatures) == 1
    status = validate_pdf_signature(
        signatures[0], ValidationContext(trust_roots=[token.ca.root_asn1], allow_fetching=False)
    )
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.modification_level == ModificationLevel.NONE
    assert status.signing_cert.subject.native["common_name"] == SEAL_NAME
    reason = str(signatures[0].sig_object["/Reason"])
    assert reason.startswith("Justerat av Gunnar Ståhl (ordförande, gunnar.stahl@example.org)")
    assert pdfa_part(pdf) == ("2", "U")
    assert sealed_by(pdf) == [f"{SEAL_NAME}, {ORG}"]
    out = tmp_path / "protokoll.pdf"
    out.write_bytes(pdf)
    assert_verified(out, token.ca.root_pem)


def test_a_wrong_pin_a_missing_token_or_key_or_both_seals_stop_the_start(token: Token) -> None:
    for changes, message in (
        ({"pkcs11_pin": "111111"}, "wrong PIN (ARSHJUL_SIGNING_PKCS11_PIN)"),
        ({"pkcs11_token": "Saknas"}, "no such token (ARSHJUL_SIGNING_PKCS11_TOKEN)"),
        ({"pkcs11_key": "saknas"}, "labelled 'saknas' (ARSHJUL_SIGNING_PKCS11_KEY)"),
        ({"pkcs11_token": ""}, "needs ARSHJUL_SIGNING_PKCS11_TOKEN set too"),
        ({"pkcs11_lib": "/nonexistent/pkcs11.so"}, "cannot read the PKCS#11 module"),
        ({"p12": str(token.ca.p12)}, "configure the seal one way only"),
    ):
        with pytest.raises(SealError, match=message.replace("(", r"\(").replace(")", r"\)")):
            configured_seal(token.source(**changes))
    # The web refuses to start the same way, from the environment's names.
    settings = Settings.model_validate(
        {
            "SECRET_KEY": "test-secret-for-the-seal",
            "ARSHJUL_SIGNING_PKCS11_LIB": str(token.module),
            "ARSHJUL_SIGNING_PKCS11_TOKEN": TOKEN,
            "ARSHJUL_SIGNING_PKCS11_KEY": LABEL,
            "ARSHJUL_SIGNING_PKCS11_PIN": "111111",
        }
    )
    with pytest.raises(SealError, match="wrong PIN"):
        create_app(settings)


def test_a_token_gone_at_the_anslag_leaves_the_anslag_recorded(
    committee: Committee, open_seal: Seal, caplog: pytest.LogCaptureFixture
) -> None:
    open_seal.signer.pkcs11_session.close()  # type: ignore[attr-defined]  # the card pulled out
    with caplog.at_level(logging.ERROR):
        pdf = _sealed(committee, open_seal)  # asserts the anslag is recorded and the copy stored
    assert "archive copy of ksau 2026-10-06 stored UNSIGNED" in caplog.text
    assert sealed_by(pdf) == [] and pdfa_part(pdf) == ("2", "U")
