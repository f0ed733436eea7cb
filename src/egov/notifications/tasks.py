"""Background jobs of notifications (django-tasks): send one delivery, and the periodic retry of
queued deliveries whose time has come (the safety net when a backend cannot defer a task or a
worker died while sending)."""

from __future__ import annotations

import datetime

from django_tasks import task

from egov.common.periodic import periodic
from egov.notifications import services


@task()
def send_delivery(delivery_id: int) -> str:
    return services.delivery_attempt(delivery_id=delivery_id)


@periodic("notifications.retry_deliveries", every=datetime.timedelta(minutes=5))
@task()
def retry_deliveries() -> dict[str, int]:
    return {"tried": services.deliveries_retry_due()}
