"""The 29 administrative document types of Decree 30/2020 Art. 7 with their Annex III
abbreviations (công văn and thư công have none: a công văn's notation is built from the body's and
the drafting unit's abbreviations)."""

from django.db import migrations

TYPES = [
    # (code, abbreviation, name_vi, name_en)
    ("nghi-quyet", "NQ", "Nghị quyết", "Resolution"),
    ("quyet-dinh", "QĐ", "Quyết định", "Decision"),
    ("chi-thi", "CT", "Chỉ thị", "Directive"),
    ("quy-che", "QC", "Quy chế", "Regulation"),
    ("quy-dinh", "QyĐ", "Quy định", "Rules"),
    ("thong-cao", "TC", "Thông cáo", "Communiqué"),
    ("thong-bao", "TB", "Thông báo", "Notice"),
    ("huong-dan", "HD", "Hướng dẫn", "Guidance"),
    ("chuong-trinh", "CTr", "Chương trình", "Programme"),
    ("ke-hoach", "KH", "Kế hoạch", "Plan"),
    ("phuong-an", "PA", "Phương án", "Option"),
    ("de-an", "ĐA", "Đề án", "Scheme"),
    ("du-an", "DA", "Dự án", "Project"),
    ("bao-cao", "BC", "Báo cáo", "Report"),
    ("bien-ban", "BB", "Biên bản", "Minutes"),
    ("to-trinh", "TTr", "Tờ trình", "Submission"),
    ("hop-dong", "HĐ", "Hợp đồng", "Contract"),
    ("cong-van", "", "Công văn", "Official letter"),
    ("cong-dien", "CĐ", "Công điện", "Official dispatch"),
    ("ban-ghi-nho", "BGN", "Bản ghi nhớ", "Memorandum of understanding"),
    ("ban-thoa-thuan", "BTT", "Bản thỏa thuận", "Agreement"),
    ("giay-uy-quyen", "GUQ", "Giấy ủy quyền", "Letter of authorisation"),
    ("giay-moi", "GM", "Giấy mời", "Invitation"),
    ("giay-gioi-thieu", "GGT", "Giấy giới thiệu", "Letter of introduction"),
    ("giay-nghi-phep", "GNP", "Giấy nghỉ phép", "Leave permit"),
    ("phieu-gui", "PG", "Phiếu gửi", "Dispatch slip"),
    ("phieu-chuyen", "PC", "Phiếu chuyển", "Transfer slip"),
    ("phieu-bao", "PB", "Phiếu báo", "Advice slip"),
    ("thu-cong", "", "Thư công", "Official mail"),
]


def seed(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    for index, (code, abbreviation, name_vi, name_en) in enumerate(TYPES, start=1):
        DocumentType.objects.update_or_create(
            code=code,
            defaults={"abbreviation": abbreviation, "name_vi": name_vi, "name_en": name_en, "ordering": index},
        )


def unseed(apps, schema_editor):
    apps.get_model("documents", "DocumentType").objects.filter(code__in=[t[0] for t in TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_documents_registers_recipients_assignments")]

    operations = [migrations.RunPython(seed, unseed)]
