"""The kommun's electronic seal on a protocol's archive copy: a PAdES signature made by pyHanko.

Why one seal of the kommun and not a signature per signer: arshjul never holds the ordförande's
or a justerare's own key. They justera by logging in (the municipality's IdP, or a login link),
and a per-person PAdES signature would need each of them to sign with their own eID (BankID,
Freja eID, SITHS) through a signing service. A signature made on the server with a key held for
them would claim what did not happen. The seal says what did: the kommun (a legal person, an
eIDAS electronic seal) certifies that the people named in the seal, as the login identified them,
justerade this text at the times given, and that it has not changed since. The justering records
in the store stay the evidence of who; the seal makes the PDF carry them verifiably.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from asn1crypto import keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from arshjul.protocol.model import ROLE_SV, ProtocolDocument
from arshjul.settings import SealSource
from arshjul.swedish import date_sv

with warnings.catch_warnings():
    # pyHanko imports cryptography's DSA module, which warns on every import since 46.
    warnings.simplefilter("ignore")
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.metadata.model import VENDOR
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields, signers
    from pyhanko.sign.pkcs11 import PKCS11Signer, TokenCriteria, open_pkcs11_session
    from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata
    from pyhanko_certvalidator.registry import SimpleCertificateStore
from pkcs11 import PKCS11Error
from pkcs11.exceptions import PinIncorrect, PinLenRange, PinLocked, UserAlreadyLoggedIn

logger = logging.getLogger(__name__)

SEAL_FIELD = "Sigill"
DEMO_P12 = "demo-seal.p12"
DEMO_PASSPHRASE = "demo-seal.passphrase"
NOT_CONFIGURED = (
    "no signing certificate configured (ARSHJUL_SIGNING_P12 or ARSHJUL_SIGNING_PKCS11_LIB): "
    "archive copies of protocols are stored unsigned"
)
PKCS11_NAMES = {
    "pkcs11_lib": "ARSHJUL_SIGNING_PKCS11_LIB",
    "pkcs11_token": "ARSHJUL_SIGNING_PKCS11_TOKEN",
    "pkcs11_key": "ARSHJUL_SIGNING_PKCS11_KEY",
}


class SealError(ValueError):
    """The seal's certificate cannot be used; the message says why, in English, for the log."""


@dataclass(frozen=True)
class Seal:
    """The kommun's seal: a key and certificate from a PKCS#12 file or on a PKCS#11 token."""

    signer: signers.Signer
    subject: str  # the certificate's subject, as a reader of the PDF sees it
    source: str  # where it was loaded from, for log lines

    def apply(self, pdf: bytes, doc: ProtocolDocument, timezone: str) -> bytes:
        """Returns the PDF with the seal added as an incremental update (PDF/A kept)."""
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        _align_producer(writer)
        meta = PdfSignatureMetadata(
            field_name=SEAL_FIELD,
            reason=justering_reason(doc, timezone),
            location=doc.org_name,
            subfilter=fields.SigSeedSubFilter.PADES,
            # Certified: a reader shows the document as the kommun's and flags any change but
            # a later signature or timestamp (which an archive may add for long-term validation).
            certify=True,
            docmdp_permissions=fields.MDPPerm.FILL_FORMS,
        )
        try:
            return signers.sign_pdf(writer, meta, signer=self.signer).getvalue()
        except Exception as exc:  # whatever pyHanko raises, the anslag must still be recorded
            raise SealError(f"cannot seal with {self.source}: {exc!r}") from exc


def _align_producer(writer: IncrementalPdfFileWriter) -> None:
    # PDF/A wants the document info and the XMP metadata to agree. pyHanko appends its name to
    # the info's /Producer but writes only its name into XMP's pdf:Producer; giving the info its
    # name alone keeps the two equal (WeasyPrint is still named in the first revision).
    info_ref = writer.trailer.raw_get("/Info") if "/Info" in writer.trailer else None
    if info_ref is None:
        return
    info = info_ref.get_object()
    info["/Producer"] = generic.TextStringObject(VENDOR)
    writer.mark_update(info_ref)


def justering_reason(doc: ProtocolDocument, timezone: str) -> str:
    """The seal's reason: who justerade, in what role, when, as the login identified them."""
    zone = ZoneInfo(timezone)
    people = []
    for s in doc.signatures:
        if not s.current:
            continue
        at = s.signed_at if s.signed_at.tzinfo else s.signed_at.replace(tzinfo=dt.UTC)
        local = at.astimezone(zone)
        people.append(
            f"{s.name} ({ROLE_SV.get(s.role, s.role).lower()}, {s.email}) "
            f"{date_sv(local.date())} kl. {local:%H.%M}"
        )
    return (
        f"Justerat av {'; '.join(people)}, identifierade vid inloggning i årshjulet. "
        f"Justerat innehåll SHA-256 {doc.content_sha256()}."
    )


def load_seal(p12: Path, passphrase: str | None) -> Seal:
    """Loads the seal's key and certificate from a PKCS#12 file; SealError says what is wrong."""
    try:
        data = p12.read_bytes()
    except OSError as exc:
        raise SealError(f"cannot read the signing certificate {p12}: {exc.strerror}") from exc
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(
            data, passphrase.encode() if passphrase else None
        )
    except ValueError as exc:
        raise SealError(
            f"cannot open the signing certificate {p12}: wrong passphrase "
            "(ARSHJUL_SIGNING_PASSPHRASE) or not a PKCS#12 file"
        ) from exc
    if key is None or cert is None:
        raise SealError(f"the signing certificate {p12} holds no private key and certificate")
    _refuse_expired(cert, str(p12))
    # The chain goes into the signature, so a reader can build the path to the root.
    signer = signers.SimpleSigner(
        signing_cert=_asn1_cert(cert),
        signing_key=keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
        cert_registry=SimpleCertificateStore.from_certs([_asn1_cert(c) for c in chain]),
    )
    return Seal(signer=signer, subject=cert.subject.rfc4514_string(), source=str(p12))


def _refuse_expired(cert: x509.Certificate, where: str) -> None:
    if cert.not_valid_after_utc < dt.datetime.now(dt.UTC):
        raise SealError(
            f"the signing certificate {where} ({cert.subject.rfc4514_string()}) expired on "
            f"{cert.not_valid_after_utc:%Y-%m-%d}"
        )


def _asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def load_pkcs11_seal(source: SealSource) -> Seal:
    """Opens the token and finds the seal's key and certificate; SealError says what is wrong.

    The session stays open (logged in) for the process: each anslag signs on the token, and the
    key never leaves it. Should the token go away later, sealing fails at that anslag (logged,
    the copy stored unsigned) until the web is restarted.
    """
    missing = [name for field, name in PKCS11_NAMES.items() if not getattr(source, field)]
    if missing:
        raise SealError(f"a seal on a PKCS#11 token needs {' and '.join(missing)} set too")
    lib, token, label = str(source.pkcs11_lib), str(source.pkcs11_token), str(source.pkcs11_key)
    if not Path(lib).is_file():
        raise SealError(f"cannot read the PKCS#11 module {lib} (ARSHJUL_SIGNING_PKCS11_LIB)")
    where = f"PKCS#11 token {token!r} ({lib})"
    try:
        try:
            session = open_pkcs11_session(
                lib, token_criteria=TokenCriteria(label=token), user_pin=source.pkcs11_pin
            )
        except UserAlreadyLoggedIn:
            # A login holds for the whole process: a second app in it (a reload) shares it.
            session = open_pkcs11_session(lib, token_criteria=TokenCriteria(label=token))
    except (PinIncorrect, PinLenRange) as exc:
        raise SealError(
            f"cannot log in to {where}: wrong PIN (ARSHJUL_SIGNING_PKCS11_PIN)"
        ) from exc
    except PinLocked as exc:
        raise SealError(f"cannot log in to {where}: the PIN is locked") from exc
    except PKCS11Error as exc:
        raise SealError(
            f"cannot open {where}: no such token (ARSHJUL_SIGNING_PKCS11_TOKEN) or the module "
            f"refused ({type(exc).__name__}: {exc})"
        ) from exc
    except (OSError, RuntimeError) as exc:  # not a PKCS#11 module at all
        raise SealError(f"cannot load the PKCS#11 module {lib}: {exc}") from exc
    # Every certificate on the token is pulled, so the chain stored beside the seal's own goes
    # into the signature as the PKCS#12 file's does. The raw mechanism (the digest made here,
    # only the RSA PKCS#1 or ECDSA operation on the token) is the one every token has: SoftHSM
    # and many cards lack the hash-and-sign ECDSA mechanisms.
    signer = PKCS11Signer(
        session,
        cert_label=label,
        key_label=label,
        other_certs_to_pull=None,
        use_raw_mechanism=True,
    )
    try:
        cert = x509.load_der_x509_certificate(signer.signing_cert.dump())
    except PKCS11Error as exc:
        session.close()
        raise SealError(
            f"no private key and certificate labelled {label!r} (ARSHJUL_SIGNING_PKCS11_KEY) "
            f"on {where}: {exc}"
        ) from exc
    try:
        _refuse_expired(cert, where)
    except SealError:
        session.close()
        raise
    return Seal(
        signer=signer, subject=cert.subject.rfc4514_string(), source=f"{label!r} on {where}"
    )


def configured_seal(source: SealSource) -> Seal | None:
    """The seal the settings name, or None (logged) when none is configured."""
    if source.p12 is not None and source.pkcs11:
        raise SealError(
            "both ARSHJUL_SIGNING_P12 and ARSHJUL_SIGNING_PKCS11_* are set: configure the seal "
            "one way only"
        )
    if source.pkcs11:
        seal = load_pkcs11_seal(source)
    elif source.p12 is not None:
        seal = load_seal(source.p12, source.passphrase)
    else:
        logger.warning(NOT_CONFIGURED)
        return None
    logger.info("archive copies of protocols are sealed with %s (%s)", seal.subject, seal.source)
    return seal


def sealed_by(pdf: bytes) -> list[str]:
    """Who signed the PDF, in order: each certificate's name and organisation (not validated)."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        subjects = [s.signer_cert.subject for s in reader.embedded_signatures]
    except (PdfError, ValueError, KeyError):
        return []
    return [subject_name(s) for s in subjects]


def subject_name(subject: Any) -> str:
    """A certificate subject (asn1crypto Name) as "common name, organisation"."""
    native = subject.native
    parts = [native.get("common_name"), native.get("organization_name")]
    found = [p for p in parts if isinstance(p, str) and p]
    return ", ".join(found) or str(subject.human_friendly)


def write_demo_seal(folder: Path, org_name: str) -> tuple[Path, str]:
    """Makes a self-signed demo seal once in `folder`; returns its PKCS#12 file and passphrase."""
    p12, secret = folder / DEMO_P12, folder / DEMO_PASSPHRASE
    if p12.exists() and secret.exists():
        return p12, secret.read_text().strip()
    folder.mkdir(parents=True, exist_ok=True)
    passphrase = secrets.token_urlsafe(24)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org_name[:64]),
            # Swedish: a reader of the PDF sees it.
            x509.NameAttribute(NameOID.COMMON_NAME, "Demosigill (arshjul up, ej för skarp drift)"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(
        b"demo-seal", key, cert, None, serialization.BestAvailableEncryption(passphrase.encode())
    )
    for path, content in ((p12, data), (secret, passphrase.encode())):
        path.write_bytes(content)
        path.chmod(0o600)
    return p12, passphrase
