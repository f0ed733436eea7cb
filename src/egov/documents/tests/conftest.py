"""Two demo agencies with units and staff (clerk, leader, specialist), and the demo PKI (root,
issuing CA, TSA, OCSP on loopback) with real certificates for the STTTT leader and agency."""

from __future__ import annotations

import datetime
import itertools
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from egov.audit.models import AuditRecord
from egov.documents import services
from egov.documents.models import Document
from egov.orgs import services as orgs
from egov.orgs.models import Agency, AgencyKind, Role, Unit
from egov.signatures import pades, pki
from egov.signatures import services as signature_services
from egov.signatures.models import CertificateKind
from egov.signatures.samples import make_pdf

D2018 = datetime.date(2018, 1, 1)
_counter = itertools.count(1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def demo_pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[pki.DemoPki]:
    port = _free_port()
    built = pki.build_demo_pki(tmp_path_factory.mktemp("pki"), url_prefix=f"http://127.0.0.1:{port}", with_token=False)
    server = pki.AnimatorServer(built, port).start()
    yield built
    pades.registry.clear()
    server.stop()


@pytest.fixture(autouse=True)
def _tsa(demo_pki: pki.DemoPki, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EGOV_TSA_URL", demo_pki.tsa_url)


@dataclass
class Org:
    agency: Agency
    clerk: Any
    leader: Any
    specialist: Any
    unit_a: Unit
    unit_b: Unit


def _user(username: str, full_name: str) -> Any:
    return get_user_model().objects.create_user(
        username=username, password="Mat-khau-2026!", kind="staff", full_name=full_name
    )


def _org(parent: Agency | None, code: str, name: str, abbreviation: str, prefix: str) -> Org:
    agency = orgs.agency_create(
        actor=None,
        code=code,
        name_vi=name,
        abbreviation=abbreviation,
        kind=AgencyKind.DEPARTMENT if parent else AgencyKind.PROVINCIAL_PEOPLE_COMMITTEE,
        parent=parent,
        valid_from=D2018,
    )
    unit_a = orgs.unit_create(actor=None, agency=agency, name_vi="Văn phòng", short_code="VP")
    unit_b = orgs.unit_create(actor=None, agency=agency, name_vi="Phòng Công nghệ thông tin", short_code="CNTT")
    people = {}
    for role, full_name, unit, position in (
        (Role.CLERK, "Trần Thị Bình", unit_a, "Văn thư"),
        (Role.LEADER, "Phạm Minh Châu", None, "Giám đốc"),
        (Role.SPECIALIST, "Lê Thị Dung", unit_b, "Chuyên viên"),
    ):
        user = _user(f"{prefix}.{role}", full_name)
        orgs.membership_create(
            actor=None, user=user, agency=agency, valid_from=D2018, position=position, roles=[role], unit=unit
        )
        people[role] = user
    return Org(agency, people[Role.CLERK], people[Role.LEADER], people[Role.SPECIALIST], unit_a, unit_b)


def _reseed() -> None:
    """Transactional tests (browser, threads) empty the tables at teardown, code lists seeded by
    migrations included: put them back when they are missing."""
    import importlib

    from django.apps import apps

    from egov.documents.models import DocumentType
    from egov.orgs.models import Level1Code

    if not Level1Code.objects.exists():
        for module in ("egov.orgs.migrations.0002_seed_level1_codes",):
            importlib.import_module(module).seed(apps, None)
    if not DocumentType.objects.exists():
        importlib.import_module("egov.documents.migrations.0002_seed_document_types").seed(apps, None)


@pytest.fixture
def ubnd(db: Any) -> Agency:
    _reseed()
    return orgs.agency_create(
        actor=None,
        code="000.00.00.H54",
        name_vi="Ủy ban nhân dân tỉnh Thái Bình",
        abbreviation="UBND",
        kind=AgencyKind.PROVINCIAL_PEOPLE_COMMITTEE,
        valid_from=D2018,
    )


@pytest.fixture
def stttt(ubnd: Agency) -> Org:
    return _org(ubnd, "000.00.11.H54", "Sở Thông tin và Truyền thông", "STTTT", "stttt")


@pytest.fixture
def skhdt(ubnd: Agency) -> Org:
    return _org(ubnd, "000.00.04.H54", "Sở Kế hoạch và Đầu tư", "SKHĐT", "skhdt")


@pytest.fixture
def certificates(demo_pki: pki.DemoPki, stttt: Org, skhdt: Org) -> None:
    """The demo CA as trust anchor; the STTTT leader's personal and STTTT's organisation
    certificates with their PKCS#12 keys (the demo password is the signatures app's default)."""

    def pem(label: str) -> bytes:
        return demo_pki.cert_path(label).read_bytes()

    signature_services.certificate_import(actor=None, data=pem("root"), kind=CertificateKind.CA, trusted_root=True)
    signature_services.certificate_import(actor=None, data=pem("interm"), kind=CertificateKind.CA)
    for label, kind, agency, user in (
        ("leader-stttt", CertificateKind.PERSONAL, stttt.agency, stttt.leader),
        ("org-000-00-11-H54", CertificateKind.ORGANISATION, stttt.agency, None),
        ("leader-skhdt", CertificateKind.PERSONAL, skhdt.agency, skhdt.leader),
        ("org-000-00-04-H54", CertificateKind.ORGANISATION, skhdt.agency, None),
    ):
        signature_services.certificate_import(
            actor=None,
            data=pem(label),
            kind=kind,
            agency=agency,
            user=user,
            key_reference=f"pkcs12:{demo_pki.pfx_path(label)}",
        )


def pdf_upload(name: str = "quyet-dinh.pdf", lines: list[str] | None = None) -> services.Upload:
    return services.Upload(name=name, content=make_pdf(lines), content_type="application/pdf")


@pytest.fixture
def audit_count() -> Any:
    return lambda: AuditRecord.objects.count()


def make_draft(org: Org, *, recipients: list[Any] | None = None, **kw: Any) -> Document:
    values: dict[str, Any] = {
        "document_type": "quyet-dinh",
        "subject": "Quyết định về việc đăng ký kinh doanh trực tuyến",
        "main_file": pdf_upload(),
        "recipients": recipients if recipients is not None else [],
        "signer_position": "Giám đốc",
        "signer_name": "Phạm Minh Châu",
    }
    values.update(kw)
    return services.document_draft_create(actor=org.specialist, agency=org.agency, **values)


def release_ready(org: Org, **kw: Any) -> Document:
    """A draft taken through approval, signature, numbering and the agency signature."""
    doc = make_draft(org, **kw)
    services.document_approve(actor=org.leader, document=doc)
    services.document_sign(actor=org.leader, document=doc)
    services.document_number(actor=org.clerk, document=doc)
    return services.document_seal(actor=org.clerk, document=doc)
