"""The clock rules of Decree 61/2018/NĐ-CP (in force 21 Jun 2018), as corrected in
vn-standards §12.5: supplement during processing restarts the time limit, paper dossiers
received after 15:00 go to the processing body the next morning, apology at least one working
day before the due date and only once. Decree 118/2025 rules are still unverified: add a row
with its own dates when they are."""

import datetime

from django.db import migrations

RULES = [
    {
        "code": "ND61-2018",
        "name_vi": "Nghị định 61/2018/NĐ-CP về cơ chế một cửa, một cửa liên thông",
        "name_en": "Decree 61/2018/ND-CP on the one-stop mechanism",
        "legal_basis": "Nghị định 61/2018/NĐ-CP Điều 17, 18, 19(4), 19(9); Thông tư 01/2018/TT-VPCP",
        "valid_from": datetime.date(2018, 6, 21),
        "valid_to": None,
        "supplement_in_processing": "restart",
        "supplement_request_max_working_days": 3,
        "pause_for_payment": True,
        "pause_when_stopped": True,
        "transfer_cutoff": datetime.time(15, 0),
        "transfer_next_day_by": datetime.time(11, 30),
        "apology_min_working_days": 1,
        "apology_max_count": 1,
        "due_soon_working_days": 1,
    }
]


def seed(apps, schema_editor):
    ClockRule = apps.get_model("dossiers", "ClockRule")
    for row in RULES:
        ClockRule.objects.update_or_create(code=row["code"], defaults={k: v for k, v in row.items() if k != "code"})


def unseed(apps, schema_editor):
    apps.get_model("dossiers", "ClockRule").objects.filter(code__in=[r["code"] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_dossiers_files_events_steps_apologies_clock_rules")]
    operations = [migrations.RunPython(seed, unseed)]
