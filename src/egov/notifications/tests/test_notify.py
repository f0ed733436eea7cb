"""notify / notify_address: texts in both languages, deliveries per known address, dedupe,
audit, bad input refused with nothing written; marking read; the SMS folding."""

import datetime
import unicodedata
from zoneinfo import ZoneInfo

import pytest

from egov.audit.models import AuditRecord
from egov.common.errors import EgovError
from egov.notifications import messages, selectors, services
from egov.notifications.models import Delivery, Notification

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DUE = datetime.datetime(2025, 3, 12, 17, 0, tzinfo=TZ)
CONTEXT = {"code": "000.00.11.H54-250303-0001", "procedure": "Cấp giấy phép xuất bản bản tin", "due_at": DUE,
           "status": "Đang thẩm định"}  # fmt: skip


def test_notify_stores_both_languages_and_queues_a_delivery_per_known_address(people):
    created = services.notify(
        actor=None, recipients=[people["staff"], people["bare"]], kind="dossier_due_soon", context=CONTEXT,
        link="/mot-cua/ho-so/000.00.11.H54-250303-0001/", dedupe_key="k1",
    )  # fmt: skip
    assert [n.recipient for n in created] == [people["staff"], people["bare"]]
    staff = created[0]
    assert staff.subject_vi == "Hồ sơ 000.00.11.H54-250303-0001 sắp đến hạn"
    assert staff.subject_en == "Dossier 000.00.11.H54-250303-0001 is due soon"
    assert "đến hạn giải quyết lúc 17:00 12/03/2025" in staff.body_vi
    assert "is due at 17:00 12/03/2025" in staff.body_en
    assert unicodedata.is_normalized("NFC", staff.body_vi)
    deliveries = {d.channel: d for d in Delivery.objects.filter(notification=staff)}
    assert deliveries["email"].address == "dung@stttt.thaibinh.gov.vn"
    assert deliveries["email"].subject == staff.subject_vi
    assert deliveries["email"].body.startswith(staff.body_vi)
    assert "-- English --" in deliveries["email"].body
    assert deliveries["sms"].address == "+84912345678"
    assert deliveries["sms"].body == "egov: ho so 000.00.11.H54-250303-0001 den han luc 17:00 12/03/2025."
    # the user without an e-mail or phone is told in the platform only
    assert not Delivery.objects.filter(notification=created[1]).exists()
    record = AuditRecord.objects.filter(action="notifications.notify").get()
    assert record.after["recipients"] == [people["staff"].pk, people["bare"].pk]
    assert record.after["deliveries"] == {"email": 1, "sms": 1}
    assert "dung@" not in str(record.after)


def test_same_dedupe_key_notifies_each_recipient_once(people):
    kwargs = {"actor": None, "kind": "dossier_overdue", "context": CONTEXT, "dedupe_key": "dossiers:X:overdue:1"}
    assert len(services.notify(recipients=[people["staff"]], **kwargs)) == 1
    audits = AuditRecord.objects.count()
    assert services.notify(recipients=[people["staff"]], **kwargs) == []
    assert AuditRecord.objects.count() == audits  # a rerun writes nothing
    # a new recipient with the same key is still told, the first one is not told again
    again = services.notify(recipients=[people["staff"], people["citizen"]], **kwargs)
    assert [n.recipient for n in again] == [people["citizen"]]
    assert Notification.objects.filter(dedupe_key="dossiers:X:overdue:1").count() == 2
    assert Delivery.objects.filter(notification__recipient=people["staff"]).count() == 2  # email + sms, once


def test_channels_limit_the_deliveries(people):
    services.notify(actor=None, recipients=[people["staff"]], kind="dossier_overdue", context=CONTEXT,
                    channels=("email",))  # fmt: skip
    assert list(Delivery.objects.values_list("channel", flat=True)) == ["email"]


def test_inactive_users_are_not_notified(people):
    people["staff"].is_active = False
    people["staff"].save()
    assert services.notify(actor=None, recipients=[people["staff"]], kind="dossier_overdue", context=CONTEXT) == []
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "code", "vi", "en"),
    [
        ({"kind": "no_such_kind"}, "notifications.unknown_kind", "Không có loại thông báo “no_such_kind”.",
         "Unknown notification kind “no_such_kind”."),
        ({"channels": ("fax",)}, "notifications.unknown_channel", "Không có kênh “fax”.", "Unknown channel “fax”."),
        ({"link": "https://evil.example/"}, "notifications.invalid_link",
         "Liên kết phải là một đường dẫn trong trang này.", "The link must be a path on this site."),
        ({"link": "//evil.example/"}, "notifications.invalid_link",
         "Liên kết phải là một đường dẫn trong trang này.", "The link must be a path on this site."),
        ({"dedupe_key": "x" * 201}, "notifications.invalid", "Khóa chống trùng lặp quá dài.",
         "The deduplication key is too long."),
    ],
)  # fmt: skip
def test_bad_input_is_refused_in_both_languages_and_nothing_is_written(people, kwargs, code, vi, en):
    audits = AuditRecord.objects.count()
    args = {"actor": None, "recipients": [people["staff"]], "kind": "dossier_overdue", "context": CONTEXT, **kwargs}
    with pytest.raises(EgovError) as error:
        services.notify(**args)
    assert error.value.code == code
    assert error.value.messages == {"vi": vi, "en": en}
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()
    assert AuditRecord.objects.count() == audits


def test_notify_address_for_an_applicant_without_account(db):
    context = {**CONTEXT, "received_at": DUE - datetime.timedelta(days=9), "due_at": DUE}
    sent = services.notify_address(actor=None, kind="dossier_received", context=context, email=" an@example.vn ",
                                   phone="+84 98 765 4321", link="/mot-cua/tra-cuu/?ma=X", dedupe_key="r1")  # fmt: skip
    assert sorted((d.channel, d.address) for d in sent) == [("email", "an@example.vn"), ("sms", "+84987654321")]
    assert all(d.notification_id is None for d in sent)
    sms = next(d for d in sent if d.channel == "sms")
    assert sms.body == ("egov: ho so 000.00.11.H54-250303-0001 da duoc tiep nhan. Hen tra ket qua: 17:00 12/03/2025.")
    assert AuditRecord.objects.filter(action="notifications.notify_address").count() == 1
    # the same key to the same addresses: nothing new
    assert services.notify_address(actor=None, kind="dossier_received", context=context, email="an@example.vn",
                                   phone="0987654321", dedupe_key="r1") == []  # fmt: skip
    assert Delivery.objects.count() == 2


@pytest.mark.parametrize(
    ("kwargs", "vi"),
    [
        ({"email": "not-an-address"}, "Địa chỉ thư điện tử không hợp lệ."),
        ({"phone": "12345"}, "Số điện thoại không phải là số của Việt Nam."),
        ({}, "Hãy cho biết địa chỉ thư điện tử hoặc số điện thoại."),
    ],
)
def test_notify_address_refuses_bad_addresses(db, kwargs, vi):
    with pytest.raises(EgovError) as error:
        services.notify_address(actor=None, kind="dossier_refused", context=CONTEXT, **kwargs)
    assert error.value.code == "notifications.invalid_address"
    assert error.value.messages["vi"] == vi
    assert not Delivery.objects.exists()


def test_mark_read_only_for_the_recipient(people):
    mine = services.notify(actor=None, recipients=[people["staff"]], kind="dossier_overdue", context=CONTEXT)[0]
    assert selectors.unread_count(user=people["staff"]) == 1
    with pytest.raises(EgovError) as error:
        services.notification_mark_read(actor=people["citizen"], notification_id=mine.pk)
    assert error.value.status_code == 404
    assert error.value.messages["vi"] == "Không có thông báo này."
    mine.refresh_from_db()
    assert mine.read_at is None
    read = services.notification_mark_read(actor=people["staff"], notification_id=mine.pk)
    assert read.read_at is not None
    first = read.read_at
    assert services.notification_mark_read(actor=people["staff"], notification_id=mine.pk).read_at == first
    assert selectors.unread_count(user=people["staff"]) == 0


def test_mark_all_read_touches_only_own(people):
    for who in ("staff", "citizen"):
        services.notify(actor=None, recipients=[people[who]], kind="dossier_overdue", context=CONTEXT)
    assert services.notification_mark_all_read(actor=people["staff"]) == 1
    assert selectors.unread_count(user=people["citizen"]) == 1


def test_sms_text_folding():
    assert messages.unaccent("Hồ sơ ĐÃ được tiếp nhận – “xong”…") == 'Ho so DA duoc tiep nhan - "xong"...'
    long = "Hồ sơ " * 60
    folded = messages.sms_text(long)
    assert len(folded) == 160
    assert folded.endswith("...")
    assert folded.isascii()
    assert len(messages.sms_text(long, unaccented=False)) == 70
    assert messages.sms_text("Đã  có\nkết quả", unaccented=False) == "Đã có kết quả"


def test_every_kind_renders_in_both_languages():
    context = {**CONTEXT, "received_at": DUE, "reason": "Thiếu bản sao", "old_due_at": DUE, "new_due_at": DUE,
               "delivery": "counter", "step_vi": "Thẩm định", "step_en": "Appraisal", "day": DUE.date(),
               "agencies": [{"name_vi": "Sở Thông tin và Truyền thông", "name_en": "Department of ICT", "overdue": 2,
                             "due_soon": 1}], "overdue": 2, "due_soon": 1}  # fmt: skip
    for kind in messages.KINDS:
        rendered = messages.render(kind, context)
        assert all((rendered.subject_vi, rendered.subject_en, rendered.body_vi, rendered.body_en)), kind
        assert rendered.subject_vi != rendered.subject_en, kind
        assert rendered.body_vi != rendered.body_en, kind
        assert rendered.sms.isascii(), kind
        assert len(rendered.sms) <= 160, kind
    summary = messages.render("dossier_daily_summary", context)
    assert "- Sở Thông tin và Truyền thông: 2 hồ sơ quá hạn, 1 hồ sơ sắp đến hạn" in summary.body_vi
    assert "- Department of ICT: 2 overdue, 1 due soon" in summary.body_en
