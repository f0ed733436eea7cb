"""/thong-bao/ and /api/v1/notifications/: a user sees and marks only their own notifications."""

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import RequestFactory
from rest_framework.test import APIClient

from egov.notifications import services
from egov.notifications.context_processors import unread
from egov.notifications.models import Notification

from .test_notify import CONTEXT

LINK = "/mot-cua/ho-so/000.00.11.H54-250303-0001/"


@pytest.fixture
def mine(people):
    return services.notify(actor=None, recipients=[people["staff"]], kind="dossier_overdue", context=CONTEXT,
                           link=LINK)[0]  # fmt: skip


@pytest.fixture
def theirs(people):
    return services.notify(actor=None, recipients=[people["citizen"]], kind="dossier_refused",
                           context={**CONTEXT, "reason": "Thiếu tờ khai"})[0]  # fmt: skip


def test_list_page_shows_own_notifications_in_vietnamese(client, people, mine, theirs):
    client.force_login(people["staff"])
    page = client.get("/thong-bao/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Hồ sơ 000.00.11.H54-250303-0001 đã quá hạn" in html
    assert "1 thông báo chưa đọc" in html
    assert "Thiếu tờ khai" not in html
    assert "không được tiếp nhận" not in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/thong-bao/").content.decode()
    assert "Dossier 000.00.11.H54-250303-0001 is overdue" in english
    assert "1 unread notification" in english


def test_open_marks_read_and_goes_to_the_link(client, people, mine):
    client.force_login(people["staff"])
    answer = client.post(f"/thong-bao/{mine.pk}/da-doc/", {"open": "1"})
    assert answer.status_code == 302
    assert answer["Location"] == LINK
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "0 thông báo chưa đọc" in client.get("/thong-bao/").content.decode()


def test_another_users_notification_is_not_found(client, people, mine, theirs):
    client.force_login(people["staff"])
    assert client.post(f"/thong-bao/{theirs.pk}/da-doc/").status_code == 404
    assert client.get(f"/thong-bao/{mine.pk}/da-doc/").status_code == 405
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_read_all_page(client, people, mine, theirs):
    client.force_login(people["staff"])
    assert client.post("/thong-bao/da-doc/").status_code == 302
    assert not Notification.objects.filter(recipient=people["staff"], read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=people["citizen"], read_at__isnull=True).exists()


def test_anonymous_is_sent_to_login(client, mine):
    answer = client.get("/thong-bao/")
    assert answer.status_code == 302
    assert "/accounts/login/" in answer["Location"]


def test_api_lists_only_own(people, mine, theirs):
    api = APIClient()
    api.force_authenticate(people["staff"])
    body = api.get("/api/v1/notifications/").json()
    assert body["count"] == 1
    [row] = body["results"]
    assert row["id"] == mine.pk
    assert row["kind"] == "dossier_overdue"
    assert row["kind_label"] == "Hồ sơ quá hạn"
    assert row["subject"] == "Hồ sơ 000.00.11.H54-250303-0001 đã quá hạn"
    assert row["subject_en"] == "Dossier 000.00.11.H54-250303-0001 is overdue"
    assert row["link"] == LINK
    assert row["read_at"] is None
    english = api.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["results"][0]["subject"] == "Dossier 000.00.11.H54-250303-0001 is overdue"
    assert api.get("/api/v1/notifications/unread-count/").json() == {"unread": 1}


def test_api_mark_read_and_unread_filter(people, mine):
    api = APIClient()
    api.force_authenticate(people["staff"])
    answer = api.post(f"/api/v1/notifications/{mine.pk}/read/")
    assert answer.status_code == 200
    assert answer.json()["read_at"]
    assert api.get("/api/v1/notifications/?unread=1").json()["count"] == 0
    assert api.get("/api/v1/notifications/").json()["count"] == 1


def test_api_other_users_notification_is_404_with_both_languages(people, theirs):
    api = APIClient()
    api.force_authenticate(people["staff"])
    answer = api.post(f"/api/v1/notifications/{theirs.pk}/read/")
    assert answer.status_code == 404
    assert answer.json()["code"] == "notifications.not_found"
    assert answer.json()["messages"] == {"vi": "Không có thông báo này.", "en": "No such notification."}
    assert api.post("/api/v1/notifications/999999/read/").json()["code"] == "notifications.not_found"
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_api_needs_authentication(db):
    api = APIClient()
    assert api.get("/api/v1/notifications/").status_code in (401, 403)
    assert api.post("/api/v1/notifications/1/read/").status_code in (401, 403)


def test_api_read_all(people, mine, theirs):
    api = APIClient()
    api.force_authenticate(people["staff"])
    assert api.post("/api/v1/notifications/read/").json() == {"unread": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_context_processor_counts_lazily(people, mine, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = people["staff"]
    context = unread(request)
    template = Template("{% if notifications_unread %}({{ notifications_unread }}){% endif %}")
    with django_assert_num_queries(1):
        assert template.render(Context(context)) == "(1)"
    with django_assert_num_queries(0):
        unread(request)  # nothing is queried unless a template uses it
