"""The demo/test PKI: a root and an issuing CA standing in for the Government's specialised CA
(CA chuyên dùng Chính phủ), OCSP, CRL and a time-stamp authority, served on loopback.

Keys are generated with `cryptography` (certomancer does not generate keys); certomancer builds
the certificates, CRLs and OCSP responses from a config written next to them, and its animator
serves CRL/OCSP/TSA over HTTP. Building is idempotent: existing keys are reused, so the
certificates (deterministic RSA signatures, fixed serials and dates) come out the same.

Optionally a SoftHSM2 token holds non-extractable keys generated on the token; their
certificates are issued off-token by the demo issuing CA (public-only keys in certomancer).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml
from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12

DEMO_PASSWORD = "egov-demo"  # noqa: S105  # PKCS#12 password of every demo end-entity file (demo only)
TOKEN_LABEL = "egov-demo"  # noqa: S105
TOKEN_PIN = "123456"  # noqa: S105  (demo token)
TOKEN_SO_PIN = "12345678"  # noqa: S105
SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"
ARCH = "egov-demo"
ROOT_NAME = "egov Demo Root CA (thay cho CA chuyên dùng Chính phủ)"

# (QCVN 102 code, Vietnamese name) of the demo agencies that get an organisation certificate.
DEMO_AGENCIES: list[tuple[str, str]] = [
    ("000.00.00.H54", "Ủy ban nhân dân tỉnh Thái Bình"),
    ("000.00.01.H54", "Văn phòng Ủy ban nhân dân tỉnh"),
    ("000.00.04.H54", "Sở Kế hoạch và Đầu tư"),
    ("000.00.11.H54", "Sở Thông tin và Truyền thông"),
    ("000.01.01.H54", "Trung tâm Phục vụ hành chính công tỉnh Thái Bình"),
]


@dataclass(frozen=True)
class DemoIdentity:
    label: str
    kind: str  # organisation | personal
    common_name: str
    organisation: str
    agency_code: str = ""
    username: str = ""
    key_type: str = "rsa"  # rsa | ec
    state: str = "valid"  # valid | revoked | expired
    on_token: bool = False


DEMO_IDENTITIES: list[DemoIdentity] = [
    *[
        DemoIdentity(f"org-{code.replace('.', '-')}", "organisation", name, name, agency_code=code)
        for code, name in DEMO_AGENCIES
    ],
    DemoIdentity(
        "leader-stttt", "personal", "Phạm Minh Châu", "Sở Thông tin và Truyền thông", "000.00.11.H54", "lanhdao.stttt"
    ),
    DemoIdentity(
        "leader-skhdt", "personal", "Bùi Quang Huy", "Sở Kế hoạch và Đầu tư", "000.00.04.H54", "lanhdao.skhdt"
    ),
    DemoIdentity(
        "leader-stttt-ec",
        "personal",
        "Phạm Minh Châu",
        "Sở Thông tin và Truyền thông",
        "000.00.11.H54",
        "lanhdao.stttt",
        key_type="ec",
    ),
    DemoIdentity(
        "revoked-personal",
        "personal",
        "Nguyễn Văn Thu Hồi",
        "Sở Thông tin và Truyền thông",
        "000.00.11.H54",
        state="revoked",
    ),
    DemoIdentity(
        "expired-personal",
        "personal",
        "Trần Thị Hết Hạn",
        "Sở Thông tin và Truyền thông",
        "000.00.11.H54",
        state="expired",
    ),
]
TOKEN_IDENTITIES: list[DemoIdentity] = [
    DemoIdentity(
        "token-rsa", "personal", "Phạm Minh Châu", "Sở Thông tin và Truyền thông", "000.00.11.H54", on_token=True
    ),
    DemoIdentity(
        "token-ec",
        "personal",
        "Phạm Minh Châu",
        "Sở Thông tin và Truyền thông",
        "000.00.11.H54",
        key_type="ec",
        on_token=True,
    ),
]

_VALID = {"valid-from": "2020-01-01T00:00:00+0000", "valid-to": "2045-01-01T00:00:00+0000"}
_EE_VALID = {"valid-from": "2024-01-01T00:00:00+0000", "valid-to": "2036-01-01T00:00:00+0000"}
_EXPIRED = {"valid-from": "2021-01-01T00:00:00+0000", "valid-to": "2022-01-01T00:00:00+0000"}


def default_dir() -> Path:
    from django.conf import settings

    return Path(settings.DATA_DIR) / "pki"


def default_url_prefix() -> str:
    return f"http://127.0.0.1:{os.environ.get('EGOV_PKI_PORT', '9000')}"


# --- keys ---------------------------------------------------------------------------------------


def _write_key(path: Path, key_type: str) -> None:
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
    if key_type == "ec":
        key = ec.generate_private_key(ec.SECP256R1())
    else:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )


def _ensure_keys(key_dir: Path, labels: Iterable[tuple[str, str]]) -> None:
    key_dir.mkdir(parents=True, exist_ok=True)
    for label, key_type in labels:
        path = key_dir / f"{label}.key.pem"
        if not path.exists():
            _write_key(path, key_type)


# --- SoftHSM token ------------------------------------------------------------------------------


def softhsm_available() -> bool:
    return Path(SOFTHSM_MODULE).exists() and shutil.which("softhsm2-util") is not None


@dataclass(frozen=True)
class TokenInfo:
    conf: str
    module: str = SOFTHSM_MODULE
    label: str = TOKEN_LABEL
    pin: str = TOKEN_PIN


def token_setup(directory: Path) -> TokenInfo:
    """Create (once) a SoftHSM2 token in `directory/softhsm` with non-extractable RSA-2048 and
    P-256 key pairs generated on the token; write their public keys to `directory/keys`.

    Sets SOFTHSM2_CONF for this process (the library reads it when first loaded)."""
    import pkcs11
    from pkcs11 import Attribute, KeyType, ObjectClass

    hsm_dir = directory / "softhsm"
    tokens = hsm_dir / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    conf = hsm_dir / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    info = TokenInfo(conf=str(conf))
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    shown = subprocess.run(["softhsm2-util", "--show-slots"], env=env, capture_output=True, text=True, check=True)  # noqa: S607
    if f"Label:            {TOKEN_LABEL}" not in shown.stdout:
        subprocess.run(  # noqa: S603
            ["softhsm2-util", "--init-token", "--free", "--label", TOKEN_LABEL, "--pin", TOKEN_PIN,  # noqa: S607
             "--so-pin", TOKEN_SO_PIN],
            env=env, capture_output=True, check=True,
        )  # fmt: skip
    key_dir = directory / "keys"
    key_dir.mkdir(parents=True, exist_ok=True)
    lib = pkcs11.lib(SOFTHSM_MODULE)
    token = lib.get_token(token_label=TOKEN_LABEL)
    with token.open(rw=True, user_pin=TOKEN_PIN) as session:
        for index, ident in enumerate(TOKEN_IDENTITIES, start=1):
            pub_path = key_dir / f"{ident.label}.pub.pem"
            existing = list(
                session.get_objects({Attribute.CLASS: ObjectClass.PUBLIC_KEY, Attribute.LABEL: ident.label})
            )
            if existing and pub_path.exists():
                continue
            private_template = {Attribute.EXTRACTABLE: False, Attribute.SENSITIVE: True, Attribute.SIGN: True}
            key_id = bytes([index])
            if ident.key_type == "ec":
                from pkcs11.util.ec import encode_ec_public_key, encode_named_curve_parameters

                params = session.create_domain_parameters(
                    KeyType.EC, {Attribute.EC_PARAMS: encode_named_curve_parameters("secp256r1")}, local=True
                )
                pub, _priv = params.generate_keypair(
                    store=True, label=ident.label, id=key_id, private_template=private_template
                )
                public_key = serialization.load_der_public_key(encode_ec_public_key(pub))
            else:
                pub, _priv = session.generate_keypair(
                    KeyType.RSA, 2048, store=True, label=ident.label, id=key_id, private_template=private_template
                )
                public_key = rsa.RSAPublicNumbers(
                    int.from_bytes(pub[Attribute.PUBLIC_EXPONENT], "big"), int.from_bytes(pub[Attribute.MODULUS], "big")
                ).public_key()
            pub_path.write_bytes(
                public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            )
    return info


# --- certomancer config -------------------------------------------------------------------------


def _ku(*usages: str) -> dict[str, Any]:
    return {"id": "key_usage", "critical": True, "smart-value": {"schema": "key-usage", "params": list(usages)}}


def _config(identities: list[DemoIdentity], url_prefix: str) -> dict[str, Any]:
    keys: dict[str, Any] = {name: {"path": f"{name}.key.pem"} for name in ("root", "interm", "ocsp", "tsa")}
    entities: dict[str, Any] = {
        "root": {"common-name": ROOT_NAME, "organization-name": "egov Demo"},
        "interm": {"common-name": "egov Demo Issuing CA", "organization-name": "egov Demo"},
        "ocsp": {"common-name": "egov Demo OCSP", "organization-name": "egov Demo"},
        "tsa": {"common-name": "egov Demo TSA", "organization-name": "egov Demo"},
    }
    certs: dict[str, Any] = {
        "root": {
            "subject": "root",
            "issuer": "root",
            "validity": _VALID,
            "profiles": [{"id": "simple-ca", "params": {"crl-repo": "root"}}],
        },
        "interm": {
            "issuer": "root",
            "validity": _VALID,
            "profiles": [{"id": "simple-ca", "params": {"crl-repo": "interm", "ocsp-service": "interm"}}],
        },
        "ocsp": {"issuer": "interm", "validity": _VALID, "profiles": ["ocsp-responder"]},
        "tsa": {
            "issuer": "root",
            "validity": _VALID,
            "extensions": [
                _ku("digital_signature"),
                {"id": "extended_key_usage", "critical": True, "value": ["time_stamping"]},
            ],
        },
    }
    for ident in identities:
        if ident.on_token:
            keys[ident.label] = {"path": f"{ident.label}.pub.pem", "public-only": True}
        else:
            keys[ident.label] = {"path": f"{ident.label}.key.pem"}
        name: dict[str, str] = {
            "common-name": ident.common_name,
            "organization-name": ident.organisation,
            "country-name": "VN",
            "state-or-province-name": "Thái Bình",
        }
        if ident.kind == "organisation":
            name["organizational-unit-name"] = ident.agency_code
            name["serial-number"] = ident.agency_code
        else:
            name["organizational-unit-name"] = ident.agency_code
        entities[ident.label] = name
        spec: dict[str, Any] = {
            "issuer": "interm",
            "validity": _EXPIRED if ident.state == "expired" else _EE_VALID,
            "extensions": [_ku("digital_signature", "non_repudiation")],
        }
        if ident.state == "revoked":
            spec["revocation"] = {"revoked-since": "2025-01-01T00:00:00+0000", "reason": "key_compromise"}
        certs[ident.label] = spec
    return {
        "external-url-prefix": url_prefix,
        "keysets": {ARCH: {"path-prefix": "keys", "keys": keys}},
        "pki-architectures": {
            ARCH: {
                "keyset": ARCH,
                "entity-defaults": {"country-name": "VN"},
                "entities": entities,
                "certs": certs,
                "services": {
                    "ocsp": {"interm": {"for-issuer": "interm", "responder-cert": "ocsp", "signing-key": "ocsp"}},
                    "crl-repo": {
                        "root": {"for-issuer": "root", "signing-key": "root", "simulated-update-schedule": "P90D"},
                        "interm": {"for-issuer": "interm", "signing-key": "interm", "simulated-update-schedule": "P7D"},
                    },
                    "cert-repo": {
                        "root": {"for-issuer": "root", "publish-issued-certs": True},
                        "interm": {"for-issuer": "interm", "publish-issued-certs": True},
                    },
                    "time-stamping": {"tsa": {"signing-key": "tsa", "signing-cert": "tsa"}},
                },
            }
        },
    }


# --- the built PKI ------------------------------------------------------------------------------


@dataclass
class DemoPki:
    directory: Path
    url_prefix: str
    identities: list[DemoIdentity]
    token: TokenInfo | None = None
    _config: Any = field(default=None, repr=False)

    @property
    def config(self) -> Any:
        if self._config is None:
            from certomancer.registry import CertomancerConfig

            self._config = CertomancerConfig.from_file(
                str(self.directory / "certomancer.yml"), key_search_dir=str(self.directory)
            )
        return self._config

    @property
    def arch(self) -> Any:
        from certomancer.registry import ArchLabel

        return self.config.get_pki_arch(ArchLabel(ARCH))

    def cert(self, label: str) -> asn1_x509.Certificate:
        from certomancer.registry import CertLabel

        return self.arch.get_cert(CertLabel(label))

    @property
    def root(self) -> asn1_x509.Certificate:
        return self.cert("root")

    @property
    def interm(self) -> asn1_x509.Certificate:
        return self.cert("interm")

    def identity(self, label: str) -> DemoIdentity:
        return next(i for i in self.identities if i.label == label)

    def pfx_path(self, label: str) -> Path:
        return self.directory / "pfx" / f"{label}.pfx"

    def cert_path(self, label: str) -> Path:
        return self.directory / "certs" / f"{label}.cert.pem"

    @property
    def tsa_url(self) -> str:
        return f"{self.url_prefix}/{ARCH}/tsa/tsa"

    def timestamper(self) -> Any:
        """An in-process pyHanko time-stamper backed by the demo TSA (no HTTP)."""
        from certomancer.registry import ServiceLabel
        from pyhanko.sign.timestamps.api import TimeStamper

        ts = self.arch.service_registry.summon_timestamper(ServiceLabel("tsa"))

        class _InProcessTimeStamper(TimeStamper):
            async def async_request_tsa_response(self, req: Any) -> Any:
                return ts.request_tsa_response(req)

        return _InProcessTimeStamper()

    def wsgi_app(self) -> Any:
        from certomancer.integrations.animator import Animator, AnimatorArchStore

        return Animator(AnimatorArchStore(self.config.pki_archs), with_web_ui=False)


def build_demo_pki(
    directory: Path | None = None, *, url_prefix: str | None = None, with_token: bool | None = None
) -> DemoPki:
    """Build (or rebuild identically) the demo PKI in `directory` (default EGOV_DATA_DIR/pki)."""
    directory = Path(directory) if directory else default_dir()
    url_prefix = url_prefix or default_url_prefix()
    directory.mkdir(parents=True, exist_ok=True)
    identities = list(DEMO_IDENTITIES)
    _ensure_keys(directory / "keys", [(n, "rsa") for n in ("root", "interm", "ocsp", "tsa")])
    _ensure_keys(directory / "keys", [(i.label, i.key_type) for i in identities])
    token = None
    if with_token is None:
        with_token = softhsm_available()
    if with_token:
        token = token_setup(directory)
        identities += TOKEN_IDENTITIES
    (directory / "certomancer.yml").write_text(
        yaml.safe_dump(_config(identities, url_prefix), allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    pki = DemoPki(directory=directory, url_prefix=url_prefix, identities=identities, token=token)
    certs_dir = directory / "certs"
    certs_dir.mkdir(exist_ok=True)
    pfx_dir = directory / "pfx"
    pfx_dir.mkdir(exist_ok=True)
    from cryptography import x509 as crypto_x509

    interm = crypto_x509.load_der_x509_certificate(pki.interm.dump())
    root = crypto_x509.load_der_x509_certificate(pki.root.dump())
    for label in ["root", "interm", "ocsp", "tsa", *[i.label for i in identities]]:
        cert = crypto_x509.load_der_x509_certificate(pki.cert(label).dump())
        (certs_dir / f"{label}.cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_file = directory / "keys" / f"{label}.key.pem"
        if label in ("root", "interm") or not key_file.exists():
            continue
        key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
        blob = pkcs12.serialize_key_and_certificates(
            label.encode(),
            key,  # type: ignore[arg-type]
            cert,
            [interm, root],
            serialization.BestAvailableEncryption(DEMO_PASSWORD.encode()),
        )
        (pfx_dir / f"{label}.pfx").write_bytes(blob)
    manifest = {
        "url_prefix": url_prefix,
        "identities": [asdict(i) for i in identities],
        "token": asdict(token) if token else None,
    }
    (directory / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return pki


def load_demo_pki(directory: Path | None = None) -> DemoPki | None:
    """The PKI built earlier in `directory`, or None."""
    directory = Path(directory) if directory else default_dir()
    manifest_path = directory / "manifest.json"
    if not manifest_path.exists():
        return None
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    token = TokenInfo(**manifest["token"]) if manifest.get("token") else None
    if token:
        os.environ.setdefault("SOFTHSM2_CONF", token.conf)
    return DemoPki(
        directory=directory,
        url_prefix=manifest["url_prefix"],
        identities=[DemoIdentity(**i) for i in manifest["identities"]],
        token=token,
    )


# --- the animator on loopback -------------------------------------------------------------------


class _Switch:
    """WSGI wrapper that can play a responder outage (503) without closing the port."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.up = True
        self.requests = 0

    def __call__(self, environ: Any, start_response: Any) -> Any:
        self.requests += 1
        if not self.up:
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"down"]
        return self.app(environ, start_response)


class AnimatorServer:
    """certomancer's animator (CRL, OCSP, TSA, certificates) served on 127.0.0.1 in a thread."""

    def __init__(self, pki: DemoPki, port: int) -> None:
        from werkzeug.serving import make_server

        self.switch = _Switch(pki.wsgi_app())
        self.server = make_server("127.0.0.1", port, self.switch, threaded=True)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, name="pki-animator", daemon=True)

    def start(self) -> AnimatorServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)

    def set_up(self, up: bool) -> None:
        self.switch.up = up
