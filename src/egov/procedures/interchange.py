"""Catalogue files: JSON shaped like the national portal's procedure payload (vn-standards §7.1,
the upper-case `LayThuTuc` keys, with `_EN` keys for English and a few keys of ours), and an
Excel workbook with one sheet per entity that officials can edit.

Both formats decode to a list of specs (`egov.procedures.spec`) whose rows carry `_row` ("THUTUC[3]
.CACHTHUCTHUCHIEN[1]" or "channels!7"), so the import report points at the right place. Decoding
never raises on bad content: it passes odd values through for `validate_spec` to report.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]

FORMAT = "egov-procedures/1"


class FileUnreadable(Exception):
    """The file cannot be read at all (not JSON / not a workbook / wrong top-level shape)."""


def _list(value: Any) -> Any:
    return [] if value is None else value


# --- JSON (national-portal shape) ----------------------------------------------------------------


def _runs(items: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    out: list[tuple[str, list[dict[str, Any]]]] = []
    for item in items:
        if out and out[-1][0] == item["case"]:
            out[-1][1].append(item)
        else:
            out.append((item["case"], [item]))
    return out


def spec_to_portal(spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "MATTHC": spec["code"],
        "MATTHC_TINH": spec["instance_code"],
        "PHIENBAN": spec["version"],
        "TRANGTHAI": spec["status"],
        "HIEULUCTU": spec["effective_from"],
        "HIEULUCDEN": spec["effective_to"],
        "TENTTHC": spec["name_vi"],
        "TENTTHC_EN": spec["name_en"],
        "LINHVUCTHUCHIEN": [{"MALINHVUC": spec["field"]}],
        "CAPTHUCHIEN": spec["level"],
        "DOITUONGTHUCHIEN": spec["subjects"],
        "MUCDODVC": spec["service_level"],
        "LYDOMOTPHAN": spec["partial_reason"],
        "TRINHTUTHUCHIEN": {"MOTA": spec["implementation_steps_vi"], "MOTA_EN": spec["implementation_steps_en"]},
        "YEUCAU": spec["requirements_vi"],
        "YEUCAU_EN": spec["requirements_en"],
        "COQUANTHUCHIEN": [{"MADONVI": a["code"], "VAITRO": a["role"]} for a in spec["agencies"]],
        "TRUONGHOP": [
            {"MATRUONGHOP": c["code"], "TENTRUONGHOP": c["name_vi"], "TENTRUONGHOP_EN": c["name_en"]}
            for c in spec["cases"]
        ],
        "CACHTHUCTHUCHIEN": [
            {
                "KENH": ch["kind"],
                "TRUONGHOP": ch["case"],
                "THOIGIAN": [
                    {
                        "THOIGIANGIAIQUYET": ch["time_limit"],
                        "DONVITINH": ch["time_unit"],
                        "MOTA": ch["description_vi"],
                        "MOTA_EN": ch["description_en"],
                        "PHILEPHI": [
                            {
                                "TENPHILEPHI": f["name_vi"],
                                "TENPHILEPHI_EN": f["name_en"],
                                "LOAIPHILEPHI": f["kind"],
                                "SOTIEN": f["amount"],
                                "DONVI": f["currency"],
                                "MOTA": f["exemption_vi"],
                                "MOTA_EN": f["exemption_en"],
                            }
                            for f in ch["fees"]
                        ],
                    }
                ],
            }
            for ch in spec["channels"]
        ],
        "THANHPHANHOSO": [
            {
                "TRUONGHOP": case,
                "GIAYTO": [
                    {
                        "MAGIAYTO": c["code"],
                        "TENGIAYTO": c["name_vi"],
                        "TENGIAYTO_EN": c["name_en"],
                        "LOAIBAN": c["copy_kind"],
                        "SOLUONG": c["count"],
                        "BATBUOC": c["required"],
                        "TENMAUDON": c["form_name"],
                        "URL": c["form_file"],
                    }
                    for c in items
                ],
            }
            for case, items in _runs(spec["components"])
        ],
        "KETQUATHUCHIEN": [
            {"MAKETQUA": r["code"], "TENKETQUA": r["name_vi"], "TENKETQUA_EN": r["name_en"]} for r in spec["results"]
        ],
        "CANCUPHAPLY": [{"SOVANBAN": b["number"], "TENVANBAN": b["title"]} for b in spec["legal_bases"]],
        "QUYTRINHNOIBO": [
            {
                "TRUONGHOP": s["case"],
                "THUTU": s["order"],
                "TENBUOC": s["name_vi"],
                "TENBUOC_EN": s["name_en"],
                "VAITRO": s["role"],
                "MADONVI": s["agency"],
                "TENPHONGBAN": s["unit"],
                "THOIGIAN": s["duration"],
                "DONVITINH": s["duration_unit"],
            }
            for s in spec["steps"]
        ],
        "BIEUMAU": spec["eform_schema"],
    }


def _g(item: Any, key: str, default: Any = None) -> Any:
    return item.get(key, default) if isinstance(item, dict) else default


def _children(row: str, key: str, value: Any, build: Any) -> Any:
    if not isinstance(value, list):
        return value  # left for the validator to report
    return [
        {**build(item), "_row": f"{row}.{key}[{i}]"} if isinstance(item, dict) else item
        for i, item in enumerate(value, 1)
    ]


def portal_to_spec(item: Any, row: str) -> Any:
    if not isinstance(item, dict):
        return item
    fields = _g(item, "LINHVUCTHUCHIEN")
    first_field = fields[0] if isinstance(fields, list) and fields else {}
    steps = _g(item, "TRINHTUTHUCHIEN", {})

    def channel(ch: dict[str, Any]) -> dict[str, Any]:
        times = ch.get("THOIGIAN")
        t = times[0] if isinstance(times, list) and times and isinstance(times[0], dict) else {}
        fees = t.get("PHILEPHI", [])
        return {
            "kind": ch.get("KENH"),
            "case": ch.get("TRUONGHOP") or "",
            "time_limit": t.get("THOIGIANGIAIQUYET"),
            "time_unit": t.get("DONVITINH"),
            "description_vi": t.get("MOTA") or "",
            "description_en": t.get("MOTA_EN") or "",
            "fees": [
                {
                    "name_vi": f.get("TENPHILEPHI"),
                    "name_en": f.get("TENPHILEPHI_EN") or "",
                    "kind": f.get("LOAIPHILEPHI"),
                    "amount": f.get("SOTIEN"),
                    "currency": f.get("DONVI") or "VND",
                    "exemption_vi": f.get("MOTA") or "",
                    "exemption_en": f.get("MOTA_EN") or "",
                }
                if isinstance(f, dict)
                else f
                for f in (fees if isinstance(fees, list) else [])
            ]
            if isinstance(fees, list)
            else fees,
        }

    components: list[Any] = []
    groups = _g(item, "THANHPHANHOSO", [])
    for gi, group in enumerate(groups if isinstance(groups, list) else [], 1):
        papers = _g(group, "GIAYTO", [])
        for pi, c in enumerate(papers if isinstance(papers, list) else [], 1):
            if not isinstance(c, dict):
                components.append(c)
                continue
            components.append(
                {
                    "_row": f"{row}.THANHPHANHOSO[{gi}].GIAYTO[{pi}]",
                    "case": _g(group, "TRUONGHOP") or "",
                    "code": c.get("MAGIAYTO"),
                    "name_vi": c.get("TENGIAYTO"),
                    "name_en": c.get("TENGIAYTO_EN") or "",
                    "copy_kind": c.get("LOAIBAN"),
                    "count": c.get("SOLUONG", 1),
                    "required": c.get("BATBUOC", True),
                    "form_name": c.get("TENMAUDON") or "",
                    "form_file": c.get("URL") or "",
                }
            )
    return {
        "_row": row,
        "code": item.get("MATTHC"),
        "instance_code": item.get("MATTHC_TINH"),
        "version": item.get("PHIENBAN", 1),
        "status": item.get("TRANGTHAI"),
        "effective_from": item.get("HIEULUCTU"),
        "effective_to": item.get("HIEULUCDEN"),
        "name_vi": item.get("TENTTHC"),
        "name_en": item.get("TENTTHC_EN") or "",
        "field": _g(first_field, "MALINHVUC"),
        "level": item.get("CAPTHUCHIEN"),
        "subjects": item.get("DOITUONGTHUCHIEN"),
        "service_level": item.get("MUCDODVC") or "",
        "partial_reason": item.get("LYDOMOTPHAN") or "",
        "implementation_steps_vi": _g(steps, "MOTA") or "",
        "implementation_steps_en": _g(steps, "MOTA_EN") or "",
        "requirements_vi": item.get("YEUCAU") or "",
        "requirements_en": item.get("YEUCAU_EN") or "",
        "agencies": _children(
            row,
            "COQUANTHUCHIEN",
            _list(item.get("COQUANTHUCHIEN")),
            lambda a: {"code": a.get("MADONVI"), "role": a.get("VAITRO")},
        ),
        "cases": _children(
            row,
            "TRUONGHOP",
            _list(item.get("TRUONGHOP")),
            lambda c: {
                "code": c.get("MATRUONGHOP"),
                "name_vi": c.get("TENTRUONGHOP"),
                "name_en": c.get("TENTRUONGHOP_EN") or "",
            },
        ),
        "channels": _children(row, "CACHTHUCTHUCHIEN", _list(item.get("CACHTHUCTHUCHIEN")), channel),
        "components": components,
        "results": _children(
            row,
            "KETQUATHUCHIEN",
            _list(item.get("KETQUATHUCHIEN")),
            lambda r: {
                "code": r.get("MAKETQUA") or "",
                "name_vi": r.get("TENKETQUA"),
                "name_en": r.get("TENKETQUA_EN") or "",
            },
        ),
        "legal_bases": _children(
            row,
            "CANCUPHAPLY",
            _list(item.get("CANCUPHAPLY")),
            lambda b: {"number": b.get("SOVANBAN"), "title": b.get("TENVANBAN")},
        ),
        "steps": _children(
            row,
            "QUYTRINHNOIBO",
            _list(item.get("QUYTRINHNOIBO")),
            lambda s: {
                "case": s.get("TRUONGHOP") or "",
                "order": s.get("THUTU"),
                "name_vi": s.get("TENBUOC"),
                "name_en": s.get("TENBUOC_EN") or "",
                "role": s.get("VAITRO"),
                "agency": s.get("MADONVI") or "",
                "unit": s.get("TENPHONGBAN") or "",
                "duration": s.get("THOIGIAN"),
                "duration_unit": s.get("DONVITINH"),
            },
        ),
        "eform_schema": item.get("BIEUMAU") or {},
    }


def dump_json(specs: Iterable[dict[str, Any]], fields: Iterable[dict[str, Any]]) -> bytes:
    doc = {
        "format": FORMAT,
        "LINHVUC": [
            {
                "MALINHVUC": f["code"],
                "TENLINHVUC": f["name_vi"],
                "TENLINHVUC_EN": f["name_en"],
                "HIEULUCTU": f["valid_from"],
                "HIEULUCDEN": f["valid_to"],
            }
            for f in fields
        ],
        "THUTUC": [spec_to_portal(s) for s in specs],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def load_json(data: bytes) -> tuple[list[Any], list[dict[str, Any]]]:
    """(specs, fields) from a JSON file; FileUnreadable if it is not our shape at all."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FileUnreadable(f"not valid JSON: {error}") from None
    if isinstance(doc, list):
        doc = {"THUTUC": doc}
    if not isinstance(doc, dict) or not isinstance(doc.get("THUTUC"), list):
        raise FileUnreadable('expected an object with a "THUTUC" list')
    fields = [
        {
            "_row": f"LINHVUC[{i}]",
            "code": _g(f, "MALINHVUC"),
            "name_vi": _g(f, "TENLINHVUC"),
            "name_en": _g(f, "TENLINHVUC_EN") or "",
            "valid_from": _g(f, "HIEULUCTU"),
            "valid_to": _g(f, "HIEULUCDEN"),
        }
        for i, f in enumerate(doc.get("LINHVUC") or [], 1)
    ]
    specs = [portal_to_spec(item, f"THUTUC[{i}]") for i, item in enumerate(doc["THUTUC"], 1)]
    return specs, fields


# --- Excel ---------------------------------------------------------------------------------------

PROCEDURE_COLUMNS = [
    "code",
    "version",
    "instance_code",
    "status",
    "effective_from",
    "effective_to",
    "name_vi",
    "name_en",
    "field",
    "level",
    "subjects",
    "service_level",
    "partial_reason",
    "implementation_steps_vi",
    "implementation_steps_en",
    "requirements_vi",
    "requirements_en",
    "eform_schema",
]
SHEETS: dict[str, list[str]] = {
    "fields": ["code", "name_vi", "name_en", "valid_from", "valid_to"],
    "procedures": PROCEDURE_COLUMNS,
    "agencies": ["code", "version", "agency", "role"],
    "cases": ["code", "version", "case", "name_vi", "name_en"],
    "channels": [
        "code",
        "version",
        "channel_no",
        "case",
        "kind",
        "time_limit",
        "time_unit",
        "description_vi",
        "description_en",
    ],
    "fees": [
        "code",
        "version",
        "channel_no",
        "name_vi",
        "name_en",
        "kind",
        "amount",
        "currency",
        "exemption_vi",
        "exemption_en",
    ],
    "components": [
        "code",
        "version",
        "case",
        "component",
        "name_vi",
        "name_en",
        "copy_kind",
        "count",
        "required",
        "form_name",
        "form_file",
    ],
    "results": ["code", "version", "result", "name_vi", "name_en"],
    "legal_bases": ["code", "version", "number", "title"],
    "steps": [
        "code",
        "version",
        "case",
        "order",
        "name_vi",
        "name_en",
        "role",
        "agency",
        "unit",
        "duration",
        "duration_unit",
    ],
}
# sheet column → spec key where they differ
RENAMES = {
    "agencies": {"agency": "code"},
    "cases": {"case": "code"},
    "components": {"component": "code"},
    "results": {"result": "code"},
}


def dump_xlsx(specs: Iterable[dict[str, Any]], fields: Iterable[dict[str, Any]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    sheets = {}
    for name, columns in SHEETS.items():
        sheet = book.create_sheet(name)
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        sheets[name] = sheet

    def put(name: str, values: dict[str, Any]) -> None:
        sheets[name].append(["" if values.get(c) is None else values.get(c) for c in SHEETS[name]])

    for f in fields:
        put("fields", f)
    for s in specs:
        key = {"code": s["code"], "version": s["version"]}
        put(
            "procedures",
            {
                **s,
                "subjects": ", ".join(s["subjects"]),
                "eform_schema": json.dumps(s["eform_schema"], ensure_ascii=False) if s["eform_schema"] else "",
            },
        )
        for a in s["agencies"]:
            put("agencies", {**key, "agency": a["code"], "role": a["role"]})
        for c in s["cases"]:
            put("cases", {**key, "case": c["code"], "name_vi": c["name_vi"], "name_en": c["name_en"]})
        for n, ch in enumerate(s["channels"], 1):
            put("channels", {**key, **ch, "channel_no": n})
            for fee in ch["fees"]:
                put("fees", {**key, **fee, "channel_no": n})
        for comp in s["components"]:
            put("components", {**comp, "component": comp["code"], **key})
        for r in s["results"]:
            put("results", {**r, "result": r["code"], **key})
        for b in s["legal_bases"]:
            put("legal_bases", {**key, **b})
        for st in s["steps"]:
            put("steps", {**key, **st})
    for sheet in book.worksheets:
        for column in sheet.columns:
            sheet.column_dimensions[column[0].column_letter].width = 18
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    return value


def _bool(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "có", "co", "x", "yes"):
        return True
    if text in ("false", "0", "không", "khong", "", "no"):
        return False
    return value


def _int(value: Any) -> Any:
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return value


def load_xlsx(data: bytes) -> tuple[list[Any], list[dict[str, Any]]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a non-workbook
        raise FileUnreadable(f"not an Excel workbook: {error}") from None
    if "procedures" not in book.sheetnames:
        raise FileUnreadable('the workbook has no "procedures" sheet')

    def rows(name: str) -> list[dict[str, Any]]:
        if name not in book.sheetnames:
            return []
        it = book[name].iter_rows(values_only=True)
        header = [str(h or "").strip() for h in next(it, [])]
        out = []
        for number, values in enumerate(it, 2):
            if values is None or all(v in (None, "") for v in values):
                continue
            item = {h: _cell(v) for h, v in zip(header, values, strict=False) if h}
            item = {k: ("" if v is None else v) for k, v in item.items()}
            item["_row"] = f"{name}!{number}"
            out.append(item)
        return out

    def key(item: dict[str, Any]) -> tuple[str, Any]:
        return (str(item.get("code") or ""), _int(item.get("version") or 1))

    specs: list[Any] = []
    by_key: dict[tuple[str, Any], dict[str, Any]] = {}
    for item in rows("procedures"):
        schema_text = item.get("eform_schema") or ""
        try:
            schema = json.loads(schema_text) if schema_text else {}
        except (TypeError, json.JSONDecodeError):
            schema = f"not JSON: {str(schema_text)[:40]}"
        subjects = [s.strip() for s in str(item.get("subjects") or "").split(",") if s.strip()]
        spec = {
            **item,
            "version": _int(item.get("version") or 1),
            "subjects": subjects,
            "effective_from": item.get("effective_from") or None,
            "effective_to": item.get("effective_to") or None,
            "eform_schema": schema,
            "agencies": [],
            "cases": [],
            "channels": [],
            "components": [],
            "results": [],
            "legal_bases": [],
            "steps": [],
        }
        specs.append(spec)
        by_key.setdefault(key(item), spec)
    orphans: list[Any] = []
    channels: dict[tuple[str, Any, Any], dict[str, Any]] = {}
    for sheet in ("agencies", "cases", "channels", "components", "results", "legal_bases", "steps"):
        renames = RENAMES.get(sheet, {})
        for item in rows(sheet):
            owner = by_key.get(key(item))
            if owner is None:
                orphans.append({"_row": item["_row"], "code": item.get("code"), "_orphan": True})
                continue
            child = {k: v for k, v in item.items() if k not in ("code", "version")}
            for old, new in renames.items():
                child[new] = child.pop(old, "")
            if sheet == "channels":
                child["fees"] = []
                channels[(*key(item), item.get("channel_no"))] = child
                child.pop("channel_no", None)
            if sheet == "components":
                child["required"] = _bool(child.get("required", True))
            owner[sheet].append(child)
    for item in rows("fees"):
        channel = channels.get((*key(item), item.get("channel_no")))
        if channel is None:
            orphans.append({"_row": item["_row"], "code": item.get("code"), "_orphan": True})
            continue
        fee = {k: v for k, v in item.items() if k not in ("code", "version", "channel_no")}
        channel["fees"].append(fee)
    fields = [
        {**f, "valid_from": f.get("valid_from") or None, "valid_to": f.get("valid_to") or None} for f in rows("fields")
    ]
    return specs + orphans, fields
