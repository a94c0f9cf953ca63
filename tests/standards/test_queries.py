"""Every standards page costs the same number of database queries however big the editions are
and however many there are: a page that grows a query per criterion would be slow for everyone."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CriterionFactory, FrameworkFactory, build_edition
from tests.support.standards import FRAMEWORK, STANDARDS_2025, STANDARDS_2026, load

# Whole-page budgets, each including the three queries of any signed-in page (session, user, roles).
EDITION_PAGE_QUERIES = 8
INDEX_QUERIES = 5
COMPARE_QUERIES = 11
EXPORT_QUERIES = 7


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _edition_url(edition, **query):
    url = edition.get_absolute_url()
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def _compare_url(old, new):
    return reverse("standards:compare", args=[old.framework.slug]) + f"?old={old.version}&new={new.version}"


def _pair(slug, values, criteria_per_value):
    """Two editions of one framework, the later with criteria added, removed, reworded and re-tiered."""
    framework = FrameworkFactory(slug=slug, name=slug.title())
    old = build_edition(values=values, criteria_per_value=criteria_per_value, framework=framework, version="1.0")
    new = build_edition(values=values, criteria_per_value=criteria_per_value, framework=framework, version="2.0")
    criteria = list(new.criteria.order_by("value__order", "order"))
    criteria[0].delete()
    criteria[1].statement = "Reworded statement."
    criteria[1].save()
    criteria[2].tier = 1 if criteria[2].tier != 1 else 3
    criteria[2].save()
    CriterionFactory(value=criteria[-1].value, code="NEW.1", order=99)
    return old, new


@pytest.fixture
def small_and_large(db):
    return (
        build_edition(values=2, criteria_per_value=2, version="1.0"),
        build_edition(values=10, criteria_per_value=6, version="2.0"),
    )


@pytest.mark.parametrize("persona", ["member", "admin"])
@pytest.mark.parametrize(
    "query", [{}, {"tier": "1"}, {"rated_by": "staff"}, {"tier": "2", "rated_by": "both"}], ids=["all", "tier", "rated_by", "both"]
)
def test_edition_page_queries_do_not_grow_with_the_edition(query, persona, small_and_large, personas, client_for):
    small, large = small_and_large
    client = client_for(getattr(personas, persona))

    small_count = _queries(client, _edition_url(small, **query))
    large_count = _queries(client, _edition_url(large, **query))

    assert small_count == large_count
    assert large_count <= EDITION_PAGE_QUERIES


def test_edition_page_with_the_real_standards_stays_within_bounds(personas, client_for, django_assert_max_num_queries):
    load(STANDARDS_2025, STANDARDS_2026)
    client = client_for(personas.member)

    with django_assert_max_num_queries(EDITION_PAGE_QUERIES):
        assert client.get(reverse("standards:edition", args=[FRAMEWORK, "2026.1"])).status_code == 200
    with django_assert_max_num_queries(COMPARE_QUERIES):
        assert client.get(reverse("standards:compare", args=[FRAMEWORK]) + "?old=2025.1&new=2026.1").status_code == 200


@pytest.mark.parametrize("persona", ["member", "admin"])
def test_index_queries_do_not_grow_with_the_number_of_editions(persona, personas, client_for):
    client = client_for(getattr(personas, persona))
    build_edition(values=2, criteria_per_value=2, version="1.0")

    one_count = _queries(client, reverse("standards:index"))
    for version in ("1.1", "1.2", "1.3", "1.4"):
        build_edition(values=3, criteria_per_value=4, version=version)
    five_count = _queries(client, reverse("standards:index"))
    for slug in ("second-standards", "third-standards"):
        for version in ("1.0", "2.0", "3.0"):
            build_edition(values=2, criteria_per_value=3, version=version, framework=FrameworkFactory(slug=slug, name=slug))
    many_count = _queries(client, reverse("standards:index"))

    assert one_count == five_count == many_count
    assert many_count <= INDEX_QUERIES


@pytest.mark.parametrize("persona", ["member", "admin"])
def test_compare_page_queries_do_not_grow_with_the_editions(persona, db, personas, client_for):
    small_old, small_new = _pair("small-standards", values=2, criteria_per_value=2)
    large_old, large_new = _pair("large-standards", values=10, criteria_per_value=6)
    client = client_for(getattr(personas, persona))

    small_count = _queries(client, _compare_url(small_old, small_new))
    large_count = _queries(client, _compare_url(large_old, large_new))

    assert small_count == large_count
    assert large_count <= COMPARE_QUERIES


def test_compare_page_shows_the_differences_it_was_counted_with(db, personas, client_for):
    old, new = _pair("large-standards", values=10, criteria_per_value=6)

    html = client_for(personas.member).get(_compare_url(old, new)).content.decode()

    assert '<span class="stat">1</span> added' in html
    assert '<span class="stat">1</span> removed' in html
    assert '<span class="stat">1</span> reworded' in html
    assert '<span class="stat">1</span> otherwise changed' in html


def test_export_download_queries_do_not_grow_with_the_edition(small_and_large, personas, client_for):
    small, large = small_and_large
    client = client_for(personas.member)

    small_count = _queries(client, reverse("standards:export", args=[small.framework.slug, small.version]))
    large_count = _queries(client, reverse("standards:export", args=[large.framework.slug, large.version]))

    assert small_count == large_count
    assert large_count <= EXPORT_QUERIES


def test_upload_page_queries_are_bounded(small_and_large, personas, client_for, django_assert_max_num_queries):
    client = client_for(personas.admin)

    with django_assert_max_num_queries(4):
        assert client.get(reverse("standards:upload")).status_code == 200
