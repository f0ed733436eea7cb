"""The online service level code lists (vn-standards §6.1, §12.3). Data literal on purpose: a
migration must not import app code."""

from django.db import migrations

SCHEMES = [
    (
        "2011",
        "Mức độ dịch vụ công trực tuyến (Nghị định 43/2011/NĐ-CP)",
        "Online public service levels (Decree 43/2011/ND-CP)",
        "43/2011/NĐ-CP, Điều 3 khoản 4",
        "2011-10-01",
        "2022-08-14",
        [
            ("L1", "Mức độ 1", "Level 1", "Cung cấp đầy đủ thông tin về thủ tục hành chính và các văn bản có liên quan.", "Full information on the procedure and the legal texts that govern it.", False),
            ("L2", "Mức độ 2", "Level 2", "Mức độ 1 và cho phép tải về các mẫu văn bản; hồ sơ nộp trực tiếp hoặc qua bưu điện.", "Level 1 plus downloadable forms; the dossier is sent in person or by post.", False),
            ("L3", "Mức độ 3", "Level 3", "Mức độ 2 và cho phép điền, gửi trực tuyến; phí, lệ phí nộp và nhận kết quả trực tiếp.", "Level 2 plus online filling and sending; fees paid and result collected at the agency.", False),
            ("L4", "Mức độ 4", "Level 4", "Mức độ 3 và thanh toán trực tuyến; kết quả trả trực tuyến, trực tiếp hoặc qua bưu điện.", "Level 3 plus online payment; the result returned online, directly or by post.", False),
        ],
    ),
    (
        "2022",
        "Dịch vụ công trực tuyến toàn trình / một phần (Nghị định 42/2022/NĐ-CP)",
        "Full-process / partial online public services (Decree 42/2022/ND-CP)",
        "42/2022/NĐ-CP",
        "2022-08-15",
        "2026-06-30",
        [
            ("full", "Toàn trình", "Full process", "Toàn bộ quá trình nộp và giải quyết được thực hiện trực tuyến; kết quả trả trực tuyến hoặc qua dịch vụ bưu chính công ích.", "Submission and handling entirely online; the result is returned online or by the public postal service.", False),
            ("partial", "Một phần", "Partial", "Dịch vụ công trực tuyến không bảo đảm điều kiện toàn trình.", "An online service that does not meet the full-process conditions.", True),
        ],
    ),
    (
        "2026",
        "Dịch vụ công trực tuyến chủ động (Nghị định 224/2026/NĐ-CP)",
        "Proactive online public services (Decree 224/2026/ND-CP)",
        "224/2026/NĐ-CP, Điều 14, 16",
        "2026-07-01",
        None,
        [
            ("full", "Toàn trình", "Full process", "Cung cấp toàn trình (Điều 14).", "Provided as a full-process service (Art. 14).", False),
            ("partial", "Một phần", "Partial", "Một phần, phải công khai lý do: phải có mặt trực tiếp, phải kiểm tra thực địa, sự cố kỹ thuật chưa khắc phục, vấn đề kỹ thuật khác (Điều 14).", "Partial, with the reason made public: presence in person, on-site inspection, unresolved technical incident, other technical issue (Art. 14).", True),
            ("P1", "Chủ động mức 1", "Proactive level 1", "Cơ quan nhắc người dân thực hiện thủ tục.", "The agency reminds the applicant.", False),
            ("P2", "Chủ động mức 2", "Proactive level 2", "Nhắc và chuẩn bị sẵn hồ sơ.", "Reminds and prepares the dossier.", False),
            ("P3", "Chủ động mức 3", "Proactive level 3", "Nhắc, chuẩn bị hồ sơ và đề xuất phương án dịch vụ tốt nhất.", "Also recommends the best service option.", False),
            ("P4", "Chủ động mức 4", "Proactive level 4", "Tự động thực hiện thủ tục; người dân xác nhận, từ chối hoặc đề nghị điều chỉnh.", "Performs the procedure automatically; the applicant confirms, refuses or asks for a correction.", False),
        ],
    ),
]


def forwards(apps, schema_editor):
    Scheme = apps.get_model("procedures", "ServiceLevelScheme")
    Level = apps.get_model("procedures", "ServiceLevel")
    for code, name_vi, name_en, basis, start, end, levels in SCHEMES:
        scheme, _ = Scheme.objects.update_or_create(
            code=code,
            defaults={"name_vi": name_vi, "name_en": name_en, "legal_basis": basis, "valid_from": start, "valid_to": end},
        )
        for order, (lcode, lvi, len_, dvi, den, reason) in enumerate(levels):
            Level.objects.update_or_create(
                scheme=scheme,
                code=lcode,
                defaults={
                    "name_vi": lvi,
                    "name_en": len_,
                    "description_vi": dvi,
                    "description_en": den,
                    "order": order,
                    "requires_reason": reason,
                },
            )


def backwards(apps, schema_editor):
    apps.get_model("procedures", "ServiceLevel").objects.all().delete()
    apps.get_model("procedures", "ServiceLevelScheme").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("procedures", "0001_catalogue_versions_steps_eform")]
    operations = [migrations.RunPython(forwards, backwards)]
