"""Import/export of the catalogue: the round trip gives an identical catalogue; a bad file
changes nothing and reports every problem with its row and field."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook  # type: ignore[import-untyped]

from egov.audit.models import AuditRecord
from egov.procedures import demo, services
from egov.procedures.interchange import FileUnreadable, dump_json, dump_xlsx, load_json, load_xlsx
from egov.procedures.management.commands.procedures import export_catalogue, read_catalogue
from egov.procedures.models import Procedure, ProcedureField, ProcedureVersion


def _wipe():
    for version in ProcedureVersion.objects.all():
        version.delete()
    Procedure.objects.all().delete()
    ProcedureField.objects.all().delete()


def _demo_fields():
    return [
        {"code": c, "name_vi": vi, "name_en": en, "valid_from": demo.START.isoformat(), "valid_to": None}
        for c, vi, en in demo.FIELDS
    ]


def _demo_json() -> dict:
    specs = [services.canonical_spec(s) for s in demo.demo_specs()]
    return json.loads(dump_json(specs, _demo_fields()))


def _state():
    return (
        Procedure.objects.count(),
        ProcedureVersion.objects.count(),
        ProcedureField.objects.count(),
        AuditRecord.objects.count(),
    )


def test_round_trip_json_and_xlsx(catalogue):
    exported = export_catalogue("json")
    doc = json.loads(exported)
    assert len(doc["THUTUC"]) == 44
    first = doc["THUTUC"][0]
    for key in ("MATTHC", "TENTTHC", "LINHVUCTHUCHIEN", "CACHTHUCTHUCHIEN", "THANHPHANHOSO", "CANCUPHAPLY"):
        assert key in first

    _wipe()
    specs, fields = read_catalogue(exported, "catalogue.json")
    report = services.catalogue_import(actor=None, specs=specs, fields=fields)
    assert len(report.created) == 44
    assert export_catalogue("json") == exported

    workbook = export_catalogue("xlsx")
    _wipe()
    specs, fields = read_catalogue(workbook, "catalogue.xlsx")
    services.catalogue_import(actor=None, specs=specs, fields=fields)
    assert export_catalogue("json") == exported

    # importing the same file again changes nothing
    before = _state()
    report = services.catalogue_import(actor=None, specs=specs, fields=fields)
    assert len(report.unchanged) == 44
    assert _state() == before


def test_bad_json_import_changes_nothing_and_reports_everything(orgs_seeded):
    doc = _demo_json()
    items = doc["THUTUC"]
    del items[0]["TENTTHC"]  # missing required field
    items[1]["COQUANTHUCHIEN"][0]["MADONVI"] = "000.00.99.H54"  # unknown agency
    items[3]["MATTHC"] = items[2]["MATTHC"]  # duplicate procedure code
    items[3]["MATTHC_TINH"] = items[2]["MATTHC_TINH"]
    items[4]["QUYTRINHNOIBO"][1]["THOIGIAN"] = 40  # internal process longer than the limit
    items[5]["BIEUMAU"] = {"type": "object", "properties": {"a": {"type": 17}}}  # malformed JSON Schema
    items[6]["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["PHILEPHI"] = [
        {"TENPHILEPHI": "Lệ phí", "LOAIPHILEPHI": "charge", "SOTIEN": "hai trăm nghìn"}
    ]  # fee not a number
    data = json.dumps(doc, ensure_ascii=False).encode()
    before = _state()
    specs, fields = load_json(data)
    with pytest.raises(services.ProcedureInvalid) as error:
        services.catalogue_import(actor=None, specs=specs, fields=fields)
    assert _state() == before
    found = {(p.row, p.field, p.code) for p in error.value.problems}
    assert ("THUTUC[1]", "name_vi", "procedures.required") in found
    assert ("THUTUC[2].COQUANTHUCHIEN[1]", "code", "procedures.unknown_agency") in found
    assert ("THUTUC[4]", "code", "procedures.duplicate_code") in found
    assert any(r.startswith("THUTUC[5].CACHTHUCTHUCHIEN") and c == "procedures.process_too_long" for r, f, c in found)
    assert ("THUTUC[6]", "eform_schema", "procedures.invalid_schema") in found
    assert ("THUTUC[7].CACHTHUCTHUCHIEN[1].fees[1]", "amount", "procedures.invalid_number") in found
    assert error.value.messages["vi"].startswith("Dữ liệu thủ tục có")


def test_bad_xlsx_import_reports_sheet_rows(orgs_seeded):
    specs = [services.canonical_spec(s) for s in demo.demo_specs()]
    book = load_workbook(io.BytesIO(dump_xlsx(specs, _demo_fields())))
    book["fees"]["G2"] = "không rõ"  # amount column
    book["steps"].append(["9.999999", 1, "", 1, "Bước lạc", "", "specialist", "", "", 1, "working_days"])
    book["procedures"]["J2"] = "tinh"  # level column
    out = io.BytesIO()
    book.save(out)
    before = _state()
    specs, fields = load_xlsx(out.getvalue())
    with pytest.raises(services.ProcedureInvalid) as error:
        services.catalogue_import(actor=None, specs=specs, fields=fields)
    assert _state() == before
    found = {(p.row, p.field, p.code) for p in error.value.problems}
    assert ("fees!2", "amount", "procedures.invalid_number") in found
    steps_rows = book["steps"].max_row
    assert (f"steps!{steps_rows}", "code", "procedures.unknown_procedure") in found
    assert ("procedures!2", "level", "procedures.invalid_choice") in found


def test_unreadable_files():
    for data in (b"", b"{not json", b'{"x": 1}', b"[1, 2"):
        with pytest.raises(FileUnreadable):
            load_json(data)
    with pytest.raises(FileUnreadable):
        load_xlsx(b"PK\x03\x04 not really a zip")


def test_command_import_and_export(orgs_seeded, tmp_path):
    path = tmp_path / "catalogue.json"
    path.write_bytes(json.dumps(_demo_json(), ensure_ascii=False).encode())
    out = io.StringIO()
    call_command("procedures", "import", str(path), stdout=out)
    assert "44" in out.getvalue()
    xlsx = tmp_path / "catalogue.xlsx"
    call_command("procedures", "export", "--format", "xlsx", "-o", str(xlsx), stdout=io.StringIO())
    assert load_workbook(xlsx).sheetnames[:3] == ["fields", "procedures", "agencies"]

    doc = _demo_json()
    doc["THUTUC"][0]["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["PHILEPHI"] = [
        {"TENPHILEPHI": "Phí", "LOAIPHILEPHI": "fee", "SOTIEN": "abc"}
    ]
    doc["THUTUC"][0]["PHIENBAN"] = 9
    bad = tmp_path / "bad.json"
    bad.write_bytes(json.dumps(doc, ensure_ascii=False).encode())
    before = _state()
    err = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("procedures", "import", str(bad), stdout=io.StringIO(), stderr=err)
    assert "nothing was changed" in str(error.value)
    assert "THUTUC[1].CACHTHUCTHUCHIEN[1].fees[1] · amount" in err.getvalue()
    assert _state() == before
