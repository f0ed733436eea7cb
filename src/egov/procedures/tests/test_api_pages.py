"""Public API and pages (anonymous), including odd input."""

import unicodedata

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api():
    return APIClient()


def test_api_list_search_filters_and_pagination(catalogue, api):
    response = api.get("/api/v1/procedures/", {"search": "dang ky kinh doanh"})
    assert response.status_code == 200
    codes = [r["code"] for r in response.json()["results"]]
    assert "1.001612" in codes
    body = api.get("/api/v1/procedures/", {"agency": "000.00.11.H54", "page_size": 10}).json()
    assert body["count"] == 32
    assert len(body["results"]) == 10
    assert body["next"]
    body = api.get("/api/v1/procedures/", {"level": "commune", "service_level": "2022:partial"}).json()
    assert {r["code"] for r in body["results"]} == {"1.001193", "2.000815"}
    first = body["results"][0]
    assert first["service_level"]["scheme"] == "2022"
    assert first["field"]["code"] == "TP-HOTICH"


ODD_PARAMS = [
    {"search": ""},
    {"search": "x" * 10000},
    {"search": "'; DROP TABLE procedures_procedure; --"},
    {"search": unicodedata.normalize("NFD", "Đăng ký khai sinh")},
    {"agency": "rubbish"},
    {"service_level": "::"},
    {"page": "999"},
]


def test_api_odd_input(catalogue, api):
    for params in ODD_PARAMS:
        response = api.get("/api/v1/procedures/", params)
        assert response.status_code in (200, 404), params
        if params.get("search", "").startswith("D"):
            assert [r["code"] for r in response.json()["results"]] == ["1.001193"]
    assert api.get("/api/v1/procedures/", {"page": "999"}).json()["code"] == "common.not_found"
    # a NUL byte is refused by DRF with the project's error body (PostgreSQL could not store it anyway)
    response = api.get("/api/v1/procedures/", {"search": "ab\x00c"})
    assert response.status_code == 400
    assert response.json()["code"] == "common.invalid_input"


def test_api_bad_level_is_a_400(orgs_seeded, api):
    response = api.get("/api/v1/procedures/", {"level": "planet"})
    assert response.status_code == 400
    assert response.json()["code"] == "common.invalid_input"


def test_api_detail_by_national_and_provincial_code(catalogue, api):
    national = api.get("/api/v1/procedures/1.009974/").json()
    provincial = api.get("/api/v1/procedures/1.009974.000.00.00.H54/").json()
    assert national == provincial
    assert national["name_vi"].startswith("Cấp giấy phép xây dựng")
    assert [c["code"] for c in national["cases"]] == ["TH1", "TH2"]
    assert national["channels"][0]["fees"][0]["amount"] == 150000
    assert national["steps"][0]["role"] == "one_stop_officer"
    assert national["eform_schema"]["$schema"].endswith("2020-12/schema")
    assert national["components"][0]["form_url"].startswith("http://testserver/thu-tuc/mau/")
    assert {a["role"] for a in national["agencies"]} == {"implementing", "coordinating"}


def test_api_detail_404(orgs_seeded, api):
    for code in ("9.999999", "nonsense", "1.004227.000.00.00.H54.99"):
        response = api.get(f"/api/v1/procedures/{code}/")
        assert response.status_code == 404
        body = response.json()
        assert body["code"] == "procedures.not_found"
        assert body["messages"]["vi"].startswith("Không có thủ tục")


def test_api_fields(catalogue, api):
    body = api.get("/api/v1/procedure-fields/").json()
    assert "TTTT-BAOCHI" in [f["code"] for f in body["results"]]


def test_catalogue_page_and_detail_page(catalogue, client):
    page = client.get("/thu-tuc/", {"q": "dang ky kinh doanh"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Đăng ký thành lập hộ kinh doanh" in html
    assert "/thu-tuc/1.001612/" in html
    html = client.get("/thu-tuc/", {"field": "TTTT-BUUCHINH", "level": "province", "page": "abc"}).content.decode()
    assert "Cấp giấy phép bưu chính" in html
    assert "Đăng ký khai sinh" not in html
    detail = client.get("/thu-tuc/1.001612/")
    assert detail.status_code == 200
    html = detail.content.decode()
    for text in (
        "1.001612.000.00.00.H54",
        "100.000",
        "Giấy đề nghị đăng ký hộ kinh doanh",
        "procedures/procedures.css",
        "Quy trình nội bộ",
    ):
        assert text in html
    assert client.get("/thu-tuc/9.999999/").status_code == 404
    assert client.get("/thu-tuc/", {"q": "x" * 10000}).status_code == 200


def test_blank_form_download(catalogue, client):
    from egov.procedures.models import DossierComponent

    component = DossierComponent.objects.exclude(form_file="").filter(version__procedure__code="1.001193").first()
    response = client.get(f"/thu-tuc/mau/{component.pk}/")
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in content
    assert "attachment" in response["Content-Disposition"]
    without = DossierComponent.objects.filter(form_file="").first()
    assert client.get(f"/thu-tuc/mau/{without.pk}/").status_code == 404
    assert client.get("/thu-tuc/mau/999999/").status_code == 404


def test_english_page(catalogue, client):
    client.cookies["django_language"] = "en"
    html = client.get("/thu-tuc/1.001193/", headers={"accept-language": "en"}).content.decode()
    assert "Birth registration" in html
