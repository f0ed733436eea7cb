from datetime import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from egov.workcalendar.calendar import TZ


def at(year, month, day, hour=9, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def officer(db):
    """A staff member of the provincial office allowed to keep the exceptions table."""
    user = get_user_model().objects.create_user(username="vanphong.ubnd", password="x" * 12, kind="staff")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="workcalendar",
            codename__in=["view_calendarexception", "add_calendarexception", "delete_calendarexception"],
        )
    )
    return get_user_model().objects.get(pk=user.pk)  # fresh permission cache


@pytest.fixture
def citizen(db):
    return get_user_model().objects.create_user(username="nguyenvana", password="x" * 12)
