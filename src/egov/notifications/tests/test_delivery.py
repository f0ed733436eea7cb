"""Deliveries over the wire: e-mail through Django's SMTP backend to a real SMTP server in another
process, SMS to a real HTTP gateway on a local port; failures recorded and retried with back-off
up to the limit, then failed; a repeat run sends nothing twice."""

import datetime
import unicodedata

import pytest

from egov.notifications import services, tasks
from egov.notifications.models import Delivery, DeliveryAttempt

from .conftest import free_port
from .test_notify import CONTEXT, DUE

RESULT = {**CONTEXT, "delivery": "counter"}
NOW = datetime.datetime(2025, 3, 12, 9, 0, tzinfo=DUE.tzinfo)


def _notify_result(user, django_capture_on_commit_callbacks, channels=("email", "sms")):
    with django_capture_on_commit_callbacks(execute=True):
        return services.notify(actor=None, recipients=[user], kind="dossier_result_ready", context=RESULT,
                               link="/mot-cua/ho-so/000.00.11.H54-250303-0001/", channels=channels)  # fmt: skip


def test_email_goes_through_a_real_smtp_server(people, smtp_server, django_capture_on_commit_callbacks):
    server = smtp_server()
    [notification] = _notify_result(people["citizen"], django_capture_on_commit_callbacks, channels=("email",))
    delivery = Delivery.objects.get(notification=notification)
    assert delivery.status == "sent"
    assert delivery.attempts == 1
    assert delivery.provider == "email"
    assert delivery.sent_at is not None
    [message] = server.messages()
    assert message["To"] == "vana@example.vn"
    assert message["From"].addresses[0].display_name == "egov Thái Bình"
    # Django folds an encoded subject onto a continuation line; unfolding leaves a leading space
    assert message["Subject"].strip() == "Hồ sơ 000.00.11.H54-250303-0001: đã có kết quả"
    assert message["Message-ID"].strip() == delivery.provider_message_id
    assert delivery.provider_message_id.endswith(f".egov-delivery-{delivery.pk}@thaibinh.gov.vn>")
    assert message["Auto-Submitted"] == "auto-generated"
    body = message.get_content()
    assert unicodedata.is_normalized("NFC", body)
    assert (
        "Hồ sơ 000.00.11.H54-250303-0001 (Cấp giấy phép xuất bản bản tin) của ông/bà đã giải quyết xong và đã có "
        "kết quả." in body
    )
    assert "Mời ông/bà đến nhận kết quả tại bộ phận một cửa" in body
    assert "Xem chi tiết: https://dichvucong.thaibinh.gov.vn/mot-cua/ho-so/000.00.11.H54-250303-0001/" in body
    assert "Processing of your dossier 000.00.11.H54-250303-0001" in body
    [attempt] = DeliveryAttempt.objects.filter(delivery=delivery)
    assert attempt.succeeded
    assert attempt.number == 1
    assert attempt.provider_message_id == delivery.provider_message_id


def test_smtp_down_then_up_is_retried_and_every_attempt_recorded(
    people, smtp_settings, smtp_server, django_capture_on_commit_callbacks, travel
):
    travel(NOW)
    [notification] = _notify_result(people["citizen"], django_capture_on_commit_callbacks, channels=("email",))
    delivery = Delivery.objects.get(notification=notification)
    assert delivery.status == "queued"
    assert delivery.attempts == 1
    assert "ConnectionRefusedError" in delivery.last_error
    assert delivery.next_attempt_at == NOW + datetime.timedelta(minutes=1)
    # not yet due: the periodic retry leaves it alone
    assert tasks.retry_deliveries.enqueue().return_value == {"tried": 0}
    server = smtp_server()
    travel(NOW + datetime.timedelta(minutes=2))
    assert tasks.retry_deliveries.enqueue().return_value == {"tried": 1}
    delivery.refresh_from_db()
    assert delivery.status == "sent"
    assert delivery.attempts == 2
    assert delivery.last_error == ""
    assert list(DeliveryAttempt.objects.filter(delivery=delivery).values_list("number", "succeeded")) == [
        (1, False),
        (2, True),
    ]
    assert len(server.messages()) == 1
    # nothing left to send: a rerun sends nothing twice
    travel(NOW + datetime.timedelta(hours=5))
    assert tasks.retry_deliveries.enqueue().return_value == {"tried": 0}
    assert tasks.send_delivery.enqueue(delivery.pk).return_value == ""
    assert len(server.messages()) == 1


def test_sms_goes_to_the_http_gateway(people, gateway, django_capture_on_commit_callbacks):
    [notification] = _notify_result(people["citizen"], django_capture_on_commit_callbacks, channels=("sms",))
    delivery = Delivery.objects.get(notification=notification)
    assert delivery.status == "sent"
    assert delivery.provider == "http"
    assert delivery.provider_message_id == "gw-1"
    [request] = gateway.received
    assert request["path"] == "/sms/send"
    assert request["headers"]["Authorization"] == "Bearer token-sms-123"
    assert request["headers"]["Content-Type"] == "application/json; charset=utf-8"
    assert request["headers"]["Idempotency-Key"] == f"egov-delivery-{delivery.pk}"
    assert request["json"] == {
        "to": "+84987654321",
        "text": "egov: ho so 000.00.11.H54-250303-0001 da giai quyet xong, da co ket qua.",
        "sender": "THAIBINH",
        "reference": f"egov-delivery-{delivery.pk}",
    }


def test_gateway_errors_are_retried_up_to_the_limit_then_failed(
    people, gateway, settings, django_capture_on_commit_callbacks, travel
):
    settings.EGOV_NOTIFICATIONS_MAX_ATTEMPTS = 3
    gateway.answers = [(503, {"error": "busy"})]
    travel(NOW)
    [notification] = _notify_result(people["citizen"], django_capture_on_commit_callbacks, channels=("sms",))
    delivery = Delivery.objects.get(notification=notification)
    moments = [NOW + datetime.timedelta(minutes=1), NOW + datetime.timedelta(minutes=6)]
    for moment in moments:
        delivery.refresh_from_db()
        assert delivery.status == "queued"
        assert delivery.next_attempt_at == moment
        travel(moment)
        tasks.retry_deliveries.enqueue()
    delivery.refresh_from_db()
    assert delivery.status == "failed"
    assert delivery.attempts == 3
    assert delivery.next_attempt_at is None
    assert delivery.last_error == "HTTP 503 from the SMS gateway"
    assert DeliveryAttempt.objects.filter(delivery=delivery, succeeded=False).count() == 3
    assert len(gateway.received) == 3
    travel(NOW + datetime.timedelta(days=1))
    assert tasks.retry_deliveries.enqueue().return_value == {"tried": 0}
    assert len(gateway.received) == 3


def test_a_refusal_by_the_gateway_is_not_retried(people, gateway, django_capture_on_commit_callbacks):
    gateway.answers = [(400, {"error": "invalid number"})]
    [notification] = _notify_result(people["citizen"], django_capture_on_commit_callbacks, channels=("sms",))
    delivery = Delivery.objects.get(notification=notification)
    assert delivery.status == "failed"
    assert delivery.attempts == 1
    assert delivery.last_error == "HTTP 400 from the SMS gateway"


def test_gateway_unreachable_is_a_transient_failure(people, settings, django_capture_on_commit_callbacks):
    settings.EGOV_SMS_PROVIDER = "http"
    settings.EGOV_SMS_HTTP_URL = f"http://127.0.0.1:{free_port()}/sms"
    settings.EGOV_SMS_HTTP_TIMEOUT = 2
    [notification] = _notify_result(people["citizen"], django_capture_on_commit_callbacks, channels=("sms",))
    delivery = Delivery.objects.get(notification=notification)
    assert delivery.status == "queued"
    assert delivery.attempts == 1
    assert delivery.last_error.startswith("SMS gateway unreachable")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", ""])
def test_gateway_url_must_be_http(people, settings, django_capture_on_commit_callbacks, url):
    settings.EGOV_SMS_PROVIDER = "http"
    settings.EGOV_SMS_HTTP_URL = url
    [notification] = _notify_result(people["citizen"], django_capture_on_commit_callbacks, channels=("sms",))
    delivery = Delivery.objects.get(notification=notification)
    assert delivery.status == "failed"
    assert delivery.last_error == "EGOV_SMS_HTTP_URL is not an http(s) URL"


def test_log_provider_is_the_development_default(people, settings, caplog, django_capture_on_commit_callbacks):
    settings.EGOV_SMS_PROVIDER = "log"
    with caplog.at_level("INFO", logger="egov.notifications"):
        [notification] = _notify_result(people["citizen"], django_capture_on_commit_callbacks, channels=("sms",))
    delivery = Delivery.objects.get(notification=notification)
    assert delivery.status == "sent"
    assert delivery.provider_message_id == f"log:egov-delivery-{delivery.pk}"
    [record] = [r for r in caplog.records if r.getMessage() == "notifications.sms"]
    assert record.to == "+84987654321"


def test_nothing_is_sent_before_commit(people, smtp_server, django_capture_on_commit_callbacks):
    server = smtp_server()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify(actor=None, recipients=[people["citizen"]], kind="dossier_result_ready", context=RESULT,
                        channels=("email",))  # fmt: skip
    assert len(callbacks) == 1
    assert Delivery.objects.get().status == "queued"
    assert Delivery.objects.get().attempts == 0
    assert server.messages() == []
