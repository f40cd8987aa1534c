"""A test certificate authority made with `cryptography`: a root and the kommun's seal under it,
the seal written as PKCS#12 the way an operator hands it to arshjul (ARSHJUL_SIGNING_P12)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

SEAL_NAME = "Hedemora kommuns sigill för protokoll"
ORG = "Hedemora kommun"
PASSPHRASE = "rätt lösenord"


@dataclass(frozen=True)
class CertAuthority:
    """The root (to trust) and the seal's PKCS#12 file with its passphrase."""

    root: x509.Certificate
    root_pem: Path
    p12: Path
    passphrase: str

    @property
    def root_asn1(self) -> asn1_x509.Certificate:
        """The root as pyHanko's validation takes it."""
        return asn1_x509.Certificate.load(self.root.public_bytes(serialization.Encoding.DER))


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORG),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _usage(*, signs_certificates: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not signs_certificates,
        content_commitment=not signs_certificates,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=signs_certificates,
        crl_sign=signs_certificates,
        encipher_only=False,
        decipher_only=False,
    )


def make_ca(folder: Path) -> CertAuthority:
    """Makes a root CA and a seal certificate it issued; writes root.pem and seal.p12."""
    now = dt.datetime.now(dt.UTC)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = (
        x509.CertificateBuilder()
        .subject_name(_name("Testkommunernas rot-CA"))
        .issuer_name(_name("Testkommunernas rot-CA"))
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(signs_certificates=True), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    seal_key = ec.generate_private_key(ec.SECP256R1())
    seal = (
        x509.CertificateBuilder()
        .subject_name(_name(SEAL_NAME))
        .issuer_name(root.subject)
        .public_key(seal_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=90))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(signs_certificates=False), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    root_pem, p12 = folder / "root.pem", folder / "seal.p12"
    root_pem.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"seal",
            seal_key,
            seal,
            [root],
            serialization.BestAvailableEncryption(PASSPHRASE.encode()),
        )
    )
    return CertAuthority(root=root, root_pem=root_pem, p12=p12, passphrase=PASSPHRASE)
