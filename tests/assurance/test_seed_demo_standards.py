"""seed_demo on an empty database: it loads the bundled standards first."""

from io import StringIO

import pytest
from django.core.management import call_command

from reviews.models import Cycle
from standards.models import Edition

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def test_seed_demo_loads_bundled_standards_when_missing():
    assert not Edition.objects.exists()

    call_command("seed_demo", stdout=StringIO())

    assert Edition.objects.filter(framework__slug="relational-practice-standards", version="2026.1").exists()
    assert Cycle.objects.count() >= 1
