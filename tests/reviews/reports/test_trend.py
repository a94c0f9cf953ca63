"""The trend across a service's reviews compares like with like: reviews of two editions are
compared on the criteria both editions have (matched by code), and the report says so, in the
chart's title, its alt text and the note under its table. Each review is placed by when it was
decided, and a report's trend ends with the review it reports on."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import CycleState
from reviews.reports.charts.service import trend_chart
from reviews.reports.figures import trend, trend_note
from standards.models import Criterion
from tests.factories import DecisionFactory, build_edition
from tests.support.pages import text
from tests.support.reviews import settled_review

pytestmark = pytest.mark.usefixtures("private_media")

NOTE = ("Compared on the 7 criteria both editions share (edition 2025.1 has 8, edition 2026.1 has 9). "
        "Over all 9 of its criteria, this review met 78%.")


def decided(cycle, day):
    decision = DecisionFactory(cycle=cycle)
    type(decision).objects.filter(pk=decision.pk).update(
        recorded_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    )
    return cycle


@pytest.fixture
def two_editions(personas):
    """Kestrel Wing's review of edition 2025.1 (8 criteria: V1.1–V2.4) and its review of 2026.1
    (9 criteria: V1.1–V2.5 without V2.4). They share 7. The first missed V1.1 and V2.4 (the
    criterion 2026.1 dropped): 6 of 8 met, 6 of the 7 shared. The second missed V1.5 and V2.5
    (both new): 7 of 9 met, all 7 shared."""
    old = build_edition(values=2, criteria_per_value=4, version="2025.1")
    new = build_edition(values=2, criteria_per_value=5, version="2026.1", framework=old.framework)
    Criterion.objects.filter(edition=new, code="V2.4").delete()
    earlier = decided(settled_review(old, personas.home, not_met=["V1.1", "V2.4"], opened=datetime.date(2025, 1, 6)),
                      datetime.date(2025, 3, 14))
    current = decided(settled_review(new, personas.home, not_met=["V1.5", "V2.5"], state=CycleState.FINAL,
                                     opened=datetime.date(2026, 1, 5)), datetime.date(2026, 3, 20))
    return earlier, current


def test_trend_compares_reviews_of_two_editions_on_the_criteria_they_share(two_editions):
    earlier, current = two_editions

    points = trend(current)

    assert [(p["edition"], p["met"], p["applicable"], p["percent_met"], p["compared"], p["criteria"], p["current"])
            for p in points] == [
        ("2025.1", 6, 7, 85.7, 7, 8, False),
        ("2026.1", 7, 7, 100.0, 7, 9, True),
    ]
    assert points[-1]["percent_met_all"] == 77.8  # the figure the rest of the report gives
    assert trend_note(points) == NOTE


def test_trend_chart_says_what_it_compares_in_title_and_alt(two_editions):
    _earlier, current = two_editions

    chart = trend_chart(trend(current))

    assert chart.title == "Criteria met, review by review, on the 7 criteria both editions share"
    assert chart.alt == (
        "Line chart of the percent of criteria met in each of this service's reviews: "
        "86% (decided 14 March 2025, edition 2025.1), then 100% (decided 20 March 2026, edition 2026.1, this review). "
        + NOTE + " The numbers are in the table after the chart."
    )
    assert chart.note == NOTE


def test_report_page_shows_the_note_under_the_trend_table(personas, client_for, two_editions):
    _earlier, current = two_editions

    page = text(client_for(personas.admin).get(reverse("reports:report", args=[current.pk])))

    trend_part = page[page.index("Criteria met, review by review"):]
    assert "Decided 14 March 2025 2025.1 85.7" in trend_part
    assert "Decided 20 March 2026 (this review) 2026.1 100.0" in trend_part
    assert NOTE in trend_part


def test_trend_of_one_edition_needs_no_note(personas):
    edition = build_edition(values=2, criteria_per_value=3)
    settled_review(edition, personas.home, not_met=["V1.1"], opened=datetime.date(2025, 2, 3))
    current = settled_review(edition, personas.home, state=CycleState.FINAL, opened=datetime.date(2026, 2, 2))

    points = trend(current)
    chart = trend_chart(points)

    assert [(p["percent_met"], p["compared"], p["criteria"]) for p in points] == [(83.3, 6, 6), (100.0, 6, 6)]
    assert trend_note(points) == ""
    assert chart.title == "Criteria met, review by review"
    assert "share" not in chart.alt


def test_trend_of_an_earlier_review_ends_with_it(two_editions):
    earlier, _current = two_editions

    points = trend(earlier)

    assert [(p["edition"], p["current"], p["percent_met"]) for p in points] == [("2025.1", True, 75.0)]
    assert trend_note(points) == ""


def test_review_not_yet_decided_is_placed_by_its_opening(personas):
    edition = build_edition(values=2, criteria_per_value=3)
    current = settled_review(edition, personas.home, state=CycleState.RATINGS_AGREED, opened=datetime.date(2026, 2, 2))

    [point] = trend(current)

    assert (point["label"], point["decided"], point["opened"]) == ("Opened 2 February 2026", None, "2026-02-02")


def test_trend_reads_a_fixed_number_of_queries(two_editions, django_assert_max_num_queries):
    _earlier, current = two_editions
    for year in (2022, 2023, 2024):
        settled_review(current.edition, current.service, opened=datetime.date(year, 5, 1))

    with django_assert_max_num_queries(3):
        points = trend(current)

    assert len(points) == 5
