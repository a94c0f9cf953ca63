"""An edition's export is streamed, CSV and JSON alike: its cycles are read a batch at a time
(exports.CYCLES_AT_ONCE), so the memory it holds and the queries it runs stay bounded however many
cycles the edition has, and the text is the same whatever the batches."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.models import SelfRating
from reviews.reports import exports
from tests.factories import CycleFactory, TeamMemberFactory, VisitFactory, build_edition
from tests.support.documents import download
from tests.support.personas import browser_for, reviewer
from tests.support.reviews import OTHER_NAMES, other_services

QUERIES_AT_MOST = 14  # the session, the edition, its criteria and cycles, the most reviewers, eight per batch


@pytest.fixture
def edition(personas):
    """Six services' settled reviews, one of them with an extra reviewer, and a review just opened."""
    edition = build_edition(values=2, criteria_per_value=2)
    cycles = other_services(edition, OTHER_NAMES)
    TeamMemberFactory(visit=VisitFactory(cycle=cycles[0]), user=reviewer("extra"))
    CycleFactory(edition=edition, service__name="Newly Opened")
    return edition


def export(client, edition, fmt):
    response, content = download(client, reverse("reports:edition-export", args=[edition.pk, fmt]))
    assert response.status_code == 200
    return response, content.decode("utf-8")


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_edition_export_is_streamed_as_an_attachment(personas, edition, fmt):
    response, content = export(browser_for(personas.admin), edition, fmt)

    assert response.streaming
    assert response["Content-Disposition"] == f'attachment; filename="test-standards-{edition.version}-all-cycles.{fmt}"'
    assert content


def test_edition_json_streamed_is_the_text_json_dumps_gives(personas, edition):
    _response, content = export(browser_for(personas.admin), edition, "json")

    exported = json.loads(content)
    assert content == json.dumps(exported, ensure_ascii=False)
    assert len(exported["cycles"]) == edition.cycles.count() == 7
    assert exported["schema"] == exports.SCHEMA_VERSION


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_edition_export_holds_a_batch_of_cycles_at_a_time_and_reads_the_same(personas, edition, fmt, monkeypatch):
    client = browser_for(personas.admin)
    _response, whole = export(client, edition, fmt)
    monkeypatch.setattr(exports, "CYCLES_AT_ONCE", 3)

    with CaptureQueriesContext(connection) as queries:
        _response, batched = export(client, edition, fmt)

    assert batched == whole
    # Seven cycles, three at a time: the staff's ratings are read in three goes, never all at once.
    ratings_read = [query for query in queries.captured_queries
                    if f'FROM "{SelfRating._meta.db_table}"' in query["sql"]]
    assert len(ratings_read) == 3


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_edition_export_runs_a_bounded_number_of_queries(personas, edition, fmt, django_assert_max_num_queries):
    client = browser_for(personas.admin)

    with django_assert_max_num_queries(QUERIES_AT_MOST):
        export(client, edition, fmt)
