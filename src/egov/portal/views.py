from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from egov.orgs import selectors as orgs
from egov.orgs.models import Role


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def workspace(request: HttpRequest) -> HttpResponse:
    """The staff landing page: whom the user works for and in which roles (ADR 0002)."""
    labels = dict(Role.choices)
    memberships = [
        {"info": m, "role_labels": [labels.get(role, role) for role in m.roles]}
        for m in orgs.memberships_for_user(request.user)
    ]
    return render(request, "portal/workspace.html", {"memberships": memberships})
