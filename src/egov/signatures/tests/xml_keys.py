"""Test PKI for the XML-DSig tests, generated at test time (nothing binary is committed).

A "demo" root CA standing in for the Government's specialised CA, an issuing CA under it, an RSA-2048
organisation certificate, and an unrelated "other" root CA with its own signer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass(frozen=True)
class Signer:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate
    chain: list[x509.Certificate]  # signer first, then the issuing CA (root left out, as on the wire)
    root: x509.Certificate


def _name(cn: str, org: str = "egov test") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _cert(
    subject: x509.Name,
    key: rsa.RSAPrivateKey,
    issuer: x509.Name,
    issuer_key: rsa.RSAPrivateKey,
    *,
    ca: bool,
    not_before: datetime | None = None,
    days: int = 365,
) -> x509.Certificate:
    start = not_before or datetime.now(tz=UTC) - timedelta(days=1)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    else:
        builder = builder.add_extension(
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
        ).add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _pki(prefix: str, signer_cn: str, *, expired: bool = False) -> Signer:
    root_key, ca_key, leaf_key = _key(), _key(), _key()
    start = datetime.now(tz=UTC) - timedelta(days=400 if expired else 1)
    root_name = _name(f"{prefix} Root CA")
    root = _cert(root_name, root_key, root_name, root_key, ca=True, not_before=start, days=3650)
    ca_name = _name(f"{prefix} Issuing CA")
    ca = _cert(ca_name, ca_key, root_name, root_key, ca=True, not_before=start, days=1825)
    leaf = _cert(_name(signer_cn, "UBND tỉnh Demo"), leaf_key, ca_name, ca_key, ca=False, not_before=start)
    return Signer(key=leaf_key, cert=leaf, chain=[leaf, ca], root=root)


@cache
def demo() -> Signer:
    """An agency (organisation) certificate under the demo CA — the trusted one in the tests."""
    return _pki("egov Demo", "Văn phòng UBND tỉnh Demo")


@cache
def other() -> Signer:
    """A signer under an unrelated CA that the tests do not trust."""
    return _pki("Other", "Somebody Else")


@cache
def expired() -> Signer:
    """A signer under its own CA whose certificate expired about a month ago (valid for 365 days from -400)."""
    return _pki("egov Expired-test", "Expired signer", expired=True)
