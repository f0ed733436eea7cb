from egov.procedures import selectors, services


def test_eform_validation_vi_en(fields, spec):
    version = services.procedure_create_draft(actor=None, spec=spec)
    good = {
        "ho_ten": "Nguyễn Văn An",
        "so_dinh_danh": "034085001234",
        "dien_thoai": "0912345678",
        "ho_ten_tre": "Nguyễn Minh Khôi",
        "ngay_sinh": "2026-11-20",
        "gioi_tinh": "Nam",
    }
    assert selectors.eform_validate(version, good) == []
    bad = {**good, "so_dinh_danh": "12ab", "gioi_tinh": "X"}
    del bad["ho_ten"]
    errors = selectors.eform_validate(version, bad)
    paths = {e["path"] for e in errors}
    assert paths == {"ho_ten", "so_dinh_danh", "gioi_tinh"}
    by_path = {e["path"]: e["messages"] for e in errors}
    assert by_path["ho_ten"]["vi"] == "Trường “Họ và tên” là bắt buộc."
    assert by_path["ho_ten"]["en"] == "The field “Full name” is required."
    assert "Số định danh cá nhân" in by_path["so_dinh_danh"]["vi"]
    assert "Personal identification number" in by_path["so_dinh_danh"]["en"]


def test_required_attachments_map_to_components(fields, spec):
    version = services.procedure_create_draft(actor=None, spec=spec)
    code = spec["eform_schema"]["x-attachments"][0]
    data = {"ho_ten": "A B", "so_dinh_danh": "034085001234", "dien_thoai": "0912345678"}
    data |= {"ho_ten_tre": "C", "ngay_sinh": "2026-11-20", "gioi_tinh": "Nữ"}
    errors = selectors.eform_validate(version, data, attachments=[])
    assert [e["path"] for e in errors] == [f"attachments/{code}"]
    assert "Tờ khai đăng ký khai sinh" in errors[0]["messages"]["vi"]
    assert selectors.eform_validate(version, data, attachments=[code]) == []


def test_eform_odd_data(fields, spec):
    version = services.procedure_create_draft(actor=None, spec=spec)
    data: object
    for data in (None, [], "chuỗi", 42, {"ho_ten": "x" * 100000}):
        errors = selectors.eform_validate(version, data)
        assert errors
        assert all(e["messages"]["vi"] and e["messages"]["en"] for e in errors)
