"""The demo seeded once per module, for the tests that read it: seeding takes most of a minute."""

from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.test import override_settings

from assurance.demo import refresh_planner_statistics


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo network, seeded once for the module; what `seed_demo` printed and where its files are.
    Each test's own changes roll back as usual; the module's end empties the database again."""
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        output = StringIO()
        call_command("seed_demo", stdout=output)
        refresh_planner_statistics()  # committed now: every test's reads plan on the seeded tables
        yield SimpleNamespace(output=output.getvalue(), media=media)
        call_command("flush", interactive=False)
        refresh_planner_statistics()  # and later modules' on empty ones again
