"""Who may open a review cycle: the open cycle page and its form are for network administrators
only (everyone else: 404)."""

import pytest
from django.urls import reverse

from reviews.models import Cycle
from tests.support.personas import PERSONA_NAMES, browser_for
from tests.support.wizard import reviewed_cycle


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_open_cycle_page_for_admin_only(personas, persona):
    response = browser_for(getattr(personas, persona)).get(reverse("reviews:cycle-open"))

    assert response.status_code == (200 if persona == "admin" else 404)


@pytest.mark.parametrize("persona", sorted(set(PERSONA_NAMES) - {"admin"}))
def test_open_cycle_refused_to_everyone_but_admin(personas, persona):
    edition = reviewed_cycle(personas).edition

    response = browser_for(getattr(personas, persona)).post(
        reverse("reviews:cycle-open"), {"service": personas.other.slug, "edition": edition.pk}
    )

    assert response.status_code == 404
    assert not Cycle.objects.filter(service=personas.other).exists()
