"""Fixtures of the self-assessment tests."""

import pytest

from tests.factories import CycleFactory, build_edition


@pytest.fixture
def cycle(personas):
    """Kestrel Wing's open cycle. Staff rate V1.1, V1.3, V2.1, V2.3; members V1.2, V1.3, V2.2, V2.3."""
    return CycleFactory(service=personas.home, edition=build_edition(values=2, criteria_per_value=3))
