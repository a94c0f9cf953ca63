"""Fixtures of the report tests."""

import pytest
from django.core.cache import cache


@pytest.fixture
def private_media(media_root):
    """Stored reports go to a folder of the test's own; the network comparison's cache starts empty
    (it is keyed by ids, which another test's rolled-back data may have used)."""
    cache.clear()
    yield media_root
    cache.clear()
