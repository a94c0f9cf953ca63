"""The network report read page by page, as an administrator reads it: a first page of headlines
in words people use (never a stored code), themes from the teams' findings counted by value and
kind, the change on the year before compared like with like across editions, every withheld
figure saying why, and nothing that names a service or quotes a finding unless names were asked for."""

import datetime
import re

import pytest
from django.utils import timezone

from reviews.models import CycleState, DecisionOutcome, FindingKind
from reviews.reports.build import build_network_report
from reviews.reports.gallery import page_fullness
from tests.factories import CycleFactory, DecisionFactory, FindingFactory, build_edition
from tests.support.documents import pdf_lines, pdf_text
from tests.support.reviews import OTHER_NAMES, other_services, settled_review

RAW_CODES = ["in_progress", "not_awarded", "self_assessment_submitted", "ratings_agreed", "report_draft",
             "conditions:", "development:", "strength:", "urgent:"]
STRENGTH_WORDS = "Residents chair the weekly community meeting."
DEVELOPMENT_WORDS = "Night staff miss the reflective practice group."
URGENT_WORDS = "A fire door on the top landing is propped open at night."


@pytest.fixture
def this_year(today):
    """The year the test runs in, the network report's year (not the year the module was collected)."""
    return today.year


@pytest.fixture
def last_year(this_year):
    return this_year - 1


@pytest.fixture
def editions(db):
    """Last year's edition (three values of three criteria) and this year's, which adds a fourth
    criterion to each value: nine criteria shared, three new."""
    return (build_edition(values=3, criteria_per_value=3, version="2025.1"),
            build_edition(values=3, criteria_per_value=4, version="2026.1"))


@pytest.fixture
def network(editions, last_year):
    """Six services with final reviews of 2026.1 this year (the first misses V1.1, the next V1.1
    and V1.2, and so on), each of which met every criterion of 2025.1 last year."""
    old, new = editions
    cycles = other_services(new, OTHER_NAMES)
    for cycle in cycles:
        settled_review(old, cycle.service, opened=datetime.date(last_year, 5, 1))
    return cycles


def report(edition, names=False):
    """This year's network report, as a PDF."""
    return build_network_report(edition, timezone.localdate().year, names=names).pdf


# --- the first page: headlines ----------------------------------------------------------------


def test_first_page_gives_the_headlines_in_words(editions, network, settings, last_year):
    settings.NETWORK_MINIMUM_SERVICES = 2
    for cycle, outcome in zip(network, [DecisionOutcome.AWARDED] * 3 + [DecisionOutcome.AWARDED_WITH_CONDITIONS] * 3,
                              strict=True):
        DecisionFactory(cycle=cycle, outcome=outcome)
    for state in (CycleState.OPEN, CycleState.OPEN, CycleState.VISIT, CycleState.VISIT):
        CycleFactory(edition=editions[1], state=state)
    for cycle in network[:2]:
        FindingFactory(cycle=cycle, kind=FindingKind.URGENT, text=URGENT_WORDS)

    first = pdf_text(report(editions[1]), page=1)

    assert "Headlines" in first
    assert "Services 6 with a final review" in first
    # Of twelve criteria the services met 11, 10, … 6: the median service, between 9 and 8, met 70.8%.
    assert "The median service met 70.8% of the criteria that apply to it." in first
    # Of the nine shared criteria they met 8, 7, 6, 6, 5 and 4, where last year every one met all nine.
    assert (f"On the 9 criteria both years share, the median service's percent met is down 33.3 points on "
            f"{last_year} (from 100.0% to 66.7%).") in first
    assert "Decisions Awarded: 3 · Awarded with conditions: 3" in first
    assert "Reviews still under way Self-assessment open: 2 · Peer-review visit: 2" in first
    assert "Urgent concerns raised 2 urgent concerns, in 2 services" in first
    assert URGENT_WORDS not in first
    assert f"Biggest falls on {last_year} V1.1: −100.0 points (100.0% to 0.0% of services)" in first
    assert f"Biggest rises on {last_year} No criterion rose." in first
    assert "Strongest values Value 3: on average 100.0% of its criteria met" in first
    assert "Weakest values Value 1: on average 25.0% of its criteria met" in first


def test_no_stored_code_is_printed_anywhere(editions, network, settings):
    settings.NETWORK_MINIMUM_SERVICES = 2
    DecisionFactory(cycle=network[0], outcome=DecisionOutcome.NOT_AWARDED)
    DecisionFactory(cycle=network[1], outcome=DecisionOutcome.AWARDED_WITH_CONDITIONS)
    for state in (CycleState.SELF_ASSESSMENT_SUBMITTED, CycleState.RATINGS_AGREED, CycleState.REPORT_DRAFT):
        CycleFactory(edition=editions[1], state=state)
    FindingFactory(cycle=network[0], kind=FindingKind.DEVELOPMENT)

    words = pdf_text(report(editions[1])).lower()

    assert "in_progress" not in words
    assert [code for code in RAW_CODES if code in words] == []
    assert "self-assessment submitted" in words and "not awarded" in words


def test_headlines_of_a_network_too_small_to_show_say_so(editions):
    old, new = editions
    for cycle in other_services(new, OTHER_NAMES[:3]):
        FindingFactory(cycle=cycle, kind=FindingKind.URGENT, text=URGENT_WORDS)
    CycleFactory(edition=new, state=CycleState.VISIT)

    pdf = report(new)
    first = pdf_text(pdf, page=1)

    assert "Fewer than 5 with a final review: no figures about them." in first
    assert "Peer-review visit: not shown (fewer than 5 services)" in first
    assert "What this report withholds, and why" in first
    assert "Every figure about this year's final reviews: fewer than 5 services had one." in first
    assert URGENT_WORDS not in pdf_text(pdf) and "Urgent concerns raised" not in pdf_text(pdf)


def test_first_page_lists_what_was_withheld_and_why(editions, network, last_year):
    """With the usual minimum of five: two outcomes of three services each, and a change on a
    criterion two of last year's services found not applicable."""
    for cycle, outcome in zip(network, [DecisionOutcome.AWARDED] * 3 + [DecisionOutcome.DEFERRED] * 3, strict=True):
        DecisionFactory(cycle=cycle, outcome=outcome)
    old = editions[0]
    for service in ("Elder Walk", "Fir Lane"):
        settled_review(old, opened=datetime.date(last_year, 6, 1), not_applicable=("V2.1",), name=service)

    first = pdf_text(report(editions[1]), page=1)

    assert "Decisions Awarded, Deferred: not shown (fewer than 5 services each)" in first
    assert "Each of these would describe fewer than 5 services, so it is not shown:" in first
    assert "Decisions: Awarded, Deferred" in first
    assert f"The change on {last_year} of criteria: V2.1" not in first  # 6 of 8 services rated V2.1 last year
    assert "Members' answers on: Value 1, Value 2, Value 3" in first


# --- themes from findings ---------------------------------------------------------------------


@pytest.fixture
def findings(network):
    """Strengths under V1.2 in five services, areas for development under V2.1 in two, a general
    strength in five, and an urgent concern in one."""
    for cycle in network[:5]:
        FindingFactory(cycle=cycle, kind=FindingKind.STRENGTH, text=STRENGTH_WORDS,
                       criterion=cycle.edition.criteria.get(code="V1.2"))
        FindingFactory(cycle=cycle, kind=FindingKind.STRENGTH, text=STRENGTH_WORDS)
    FindingFactory(cycle=network[0], kind=FindingKind.STRENGTH, text=STRENGTH_WORDS)  # a second: still one service
    for cycle in network[:2]:
        FindingFactory(cycle=cycle, kind=FindingKind.DEVELOPMENT, text=DEVELOPMENT_WORDS,
                       criterion=cycle.edition.criteria.get(code="V2.1"))
    FindingFactory(cycle=network[5], kind=FindingKind.URGENT, text=URGENT_WORDS)
    return network


def test_themes_count_services_with_findings_by_value_and_kind(editions, findings):
    pdf = report(editions[1])
    lines = pdf_lines(pdf)
    words = pdf_text(pdf)

    assert "Themes from the findings" in words
    assert "Value 1 5 0" in lines
    assert "Value 2 0 fewer than 5: not shown" in lines
    assert "Value 3 0 0" in lines
    assert "General 5 0" in lines
    assert "Services with findings in: Value 2 (area for development)" in pdf_text(pdf, page=1)
    assert "Urgent concerns raised Not shown (raised in fewer than 5 services)." in pdf_text(pdf, page=1)


def test_report_without_names_never_names_a_service_or_quotes_a_finding(editions, findings):
    words = pdf_text(report(editions[1]))

    assert not [name for name in OTHER_NAMES if name in words]
    assert STRENGTH_WORDS not in words and DEVELOPMENT_WORDS not in words and URGENT_WORDS not in words
    assert "The findings' words are not shown: this report does not name services." in words


def test_report_with_names_quotes_strengths_and_development_but_never_urgent_concerns(editions, findings):
    words = pdf_text(report(editions[1], names=True))

    assert "The findings in the teams' words" in words
    assert f"Rowan Lodge · Strength (V1.2): {STRENGTH_WORDS}" in words
    assert f"Birch Court · Area for development (V2.1): {DEVELOPMENT_WORDS}" in words
    assert f"Aspen Row · Strength: {STRENGTH_WORDS}" not in words  # the sixth had none
    assert URGENT_WORDS not in words


# --- change on last year, like with like ------------------------------------------------------


def test_change_on_last_year_compares_the_criteria_both_editions_share(editions, network, last_year):
    pdf = report(editions[1])
    words = pdf_text(pdf)
    lines = pdf_lines(pdf)

    assert f"Change on {last_year}" in words
    assert (f"{last_year}'s reviews were made against 2025.1: compared on the 9 criteria both editions share; "
            "3 criteria are new in 2026.1 (V1.4, V2.4, V3.4).") in words
    # Per value, the median service on the shared criteria: Value 1 fell from all to none met.
    assert "Value 1 100.0% 0.0% −100.0" in lines
    assert "Value 2 100.0% 100.0% 0.0" in lines
    assert "All shared criteria 100.0% 66.7% −33.3" in lines
    # Per criterion: this year's percent of services, last year's, and the change; new ones say so.
    assert "V1.2 Value 1 3 6 16.7 100.0 −83.3" in lines
    assert "V1.4 Value 1 2 6 50.0 New" in lines


def test_change_on_a_criterion_too_few_services_were_rated_on_last_year_is_withheld(editions, network, last_year):
    old = editions[0]
    for cycle in network[:2]:  # two of last year's six found V2.1 not applicable: four rated on it
        cycle_last_year = cycle.service.cycles.get(edition=old)
        cycle_last_year.agreed_ratings.filter(criterion__code="V2.1").update(level=None, not_applicable=True)

    pdf = report(editions[1])

    assert "V2.1 Value 2 2 6 66.7 fewer than 5: not shown" in pdf_lines(pdf)
    assert f"The change on {last_year} of criteria: V2.1" in pdf_text(pdf, page=1)


def test_no_change_is_shown_when_last_year_had_too_few_services(editions, last_year):
    old, new = editions
    cycles = other_services(new, OTHER_NAMES)
    for cycle in cycles[:4]:
        settled_review(old, cycle.service, opened=datetime.date(last_year, 5, 1))

    pdf = report(new)
    words = pdf_text(pdf)

    assert f"No comparison with {last_year}: fewer than 5 services had a final review in {last_year}." in words
    assert f"The change on {last_year}: fewer than 5 services had a final review in {last_year}" in pdf_text(pdf, 1)
    assert "Biggest rises" not in words and "% met in" not in words


# --- pages and queries ------------------------------------------------------------------------


def test_every_page_but_the_last_is_at_least_a_third_full(editions, findings):
    for names in (False, True):
        fullness = page_fullness(report(editions[1], names=names))

        assert len(fullness) >= 2
        assert all(page >= 0.34 for page in fullness[:-1]), (names, fullness)


def test_report_reads_the_same_number_of_queries_for_5_or_20_services(editions, django_assert_max_num_queries,
                                                                      this_year, last_year):
    from reviews.reports.network import network_report_data  # noqa: PLC0415

    old, new = editions

    def network_of(count, first):
        for n in range(count):
            cycle = settled_review(new, name=f"Service {first + n}", not_met=("V1.1",) if n % 2 else ())
            settled_review(old, cycle.service, opened=datetime.date(last_year, 5, 1))
            FindingFactory(cycle=cycle, kind=FindingKind.STRENGTH)
            FindingFactory(cycle=cycle, kind=FindingKind.URGENT)
            DecisionFactory(cycle=cycle)

    network_of(5, 0)
    with django_assert_max_num_queries(40) as small:
        network_report_data(new, this_year, names=True)
    network_of(15, 5)
    with django_assert_max_num_queries(len(small.captured_queries)):
        data = network_report_data(new, this_year, names=True)

    assert data["service_count"] == 20 and data["change"]["shown"]


def test_prepared_date_is_written_the_one_way(editions, network):
    words = pdf_text(report(editions[1]))

    assert re.search(r"Prepared on \d{1,2} [A-Z][a-z]+ \d{4}\.", words)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", words)
