"""The dossiers app's fixtures (the seeded Thái Bình world, submission and actions) and its
demo PKI with a running responder, reused as they are."""

from egov.dossiers.tests.conftest import act, seeded, submit, world  # noqa: F401
from egov.dossiers.tests.test_sealed_forms import centre_pki  # noqa: F401
