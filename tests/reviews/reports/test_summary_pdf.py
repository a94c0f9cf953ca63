"""The one-page summary a commissioner reads in a minute, and the portfolio PDF: read with
pdftotext as people read them. A settled review shows its outcome and validity, each value in
three voices (met, partly met and not met named), the members' response rate, overdue actions
and the next date; a review under way its stage, dates and progress; a service with nothing yet
says so. Nothing the disclosure policy hides from the reader appears."""

import datetime

import pytest
from django.utils import timezone

from assurance.models import RoleKind
from reviews.models import CycleState, Decision, FindingKind, PeerRating, SelfRating
from reviews.reports.build import build_portfolio_report, build_summary
from reviews.reports.gallery import page_fullness
from reviews.reports.portfolio import portfolio_rows
from reviews.reports.queries import commissioned_services
from tests.factories import (
    ActionFactory,
    CycleFactory,
    FindingFactory,
    MemberResponseFactory,
    RoleFactory,
    ServiceFactory,
    build_edition,
)
from tests.support.documents import pdf_lines, pdf_pages, pdf_text
from tests.support.reviews import STAFF, PeerReview, criterion, other_services, settled_review

pytestmark = pytest.mark.usefixtures("private_media")

STAFF_WORDS = "MARKER-STAFF-NARRATIVE"
REVIEWER_WORDS = "MARKER-REVIEWER-COMMENT"
MEMBERS_WORDS = "MARKER-MEMBERS-FREE-TEXT"
VISIT_NOTES = "MARKER-VISIT-NOTES"
NOT_ESCALATED = "MARKER-URGENT-NOT-ESCALATED"
MARKERS = (STAFF_WORDS, REVIEWER_WORDS, MEMBERS_WORDS, VISIT_NOTES, NOT_ESCALATED)


def today():
    return timezone.localdate()


def commission(user, *services):
    for service in services:
        RoleFactory(user=user, kind=RoleKind.COMMISSIONER, service=service)


def reviewed(personas, stage=CycleState.FINAL, valid_for=400):
    """The home service (Kestrel Wing) reviewed up to `stage`: staff rated themselves (V1.1 Partly
    met), six of twenty members answered V1.2, the team agreed V2.1 Partly met and V3.3 Not met, an
    action is overdue, and a marker sits in every kind of words a commissioner never reads."""
    review = PeerReview(personas, members_stated=20)
    for code in ("V1.1", "V1.3", "V2.1", "V3.3"):
        review.self_rate(code, "Partly met" if code == "V1.1" else "Met", narrative=STAFF_WORDS)
    review.members_answer("V1.2", *["yes"] * 4, "sometimes", "no", anything_else=MEMBERS_WORDS)
    review.to(CycleState.VISIT)
    review.cycle.visit.notes = VISIT_NOTES
    review.cycle.visit.save()
    review.everyone_rates().agree_everything(V2_1="Partly met", V3_3="Not met").finish()
    PeerRating.objects.filter(team_member__visit__cycle=review.cycle).update(comment=REVIEWER_WORDS)
    ActionFactory(cycle=review.cycle, description="Train night staff in de-escalation.",
                  due_date=today() - datetime.timedelta(days=3))
    FindingFactory(cycle=review.cycle, kind=FindingKind.URGENT, text=NOT_ESCALATED)
    review.to(stage)
    if stage in CycleState.CONCLUDED:
        Decision.objects.filter(cycle=review.cycle).update(valid_until=today() + datetime.timedelta(days=valid_for))
    return review


def assert_no_markers(words):
    assert [marker for marker in MARKERS if marker in words] == []


# --- a settled review --------------------------------------------------------------------------


def test_summary_of_a_settled_review_says_outcome_validity_voices_and_what_comes_next(personas):
    review = reviewed(personas)
    valid_until = today() + datetime.timedelta(days=400)

    built = build_summary(personas.home, personas.commissioner)

    words = pdf_text(built.pdf)
    assert built.pages == pdf_pages(built.pdf) == 1
    assert page_fullness(built.pdf)[0] >= 0.67
    assert "Kestrel Wing" in words and "Awarded" in words
    assert f"Valid until {valid_until:%-d %B %Y}" in words
    # 10 of 12 met, 1 partly met, 1 not met: partly met is named, never rounded into met or not met
    assert "83.3% met" in words and "8.3% partly met, 8.3% not met, of 12 criteria that apply" in words
    lines = pdf_lines(built.pdf)
    # whole percents, one line a value: met, partly met, not met, % met, staff, members
    assert "Value 2 A Amber 2 1 0 67% 100% too few" in lines and "Value 3 R Red 2 0 1 67% 100% too few" in lines
    assert "Value 1 G Green 3 0 0 100% 50% 67%" in lines  # staff: half Met themselves; members: 4 of 6 said yes
    assert "Each value: agreed, the staff's own rating, the members' answers" in words
    assert "30.0%" in words and "of members answered (6 of 20 members stated)" in words
    assert "overdue action" in words and "Train night staff in de-escalation." in words
    assert f"{valid_until:%-d %B %Y}" in words and "Next: Award ends" in words
    assert "Network" not in words  # fewer than five services have final reviews
    assert_no_markers(words)
    assert review.cycle.state == CycleState.FINAL


def test_summary_shows_the_network_position_only_to_readers_the_policy_gives_it(personas):
    review = reviewed(personas, stage=CycleState.REPORT_DRAFT)
    other_services(review.cycle.edition, ["Rowan Lodge", "Birch Court", "Hazel Place", "Alder House", "Juniper Rise"])

    for_commissioner = pdf_text(build_summary(personas.home, personas.commissioner).pdf)
    for_lead = pdf_text(build_summary(personas.home, personas.lead).pdf)

    # the draft report's results (and the network beside them) are the service's, not yet the commissioner's
    assert "Draft report" in for_commissioner and "Network" not in for_commissioner
    assert "% met" not in for_commissioner and "Members: yes" not in for_commissioner
    assert_no_markers(for_commissioner)
    assert "the network" in for_lead and "Network median" in for_lead
    assert "The network median is over the latest final reviews of 5 services" in for_lead


# --- a review under way, and nothing yet -------------------------------------------------------


def test_summary_of_a_review_under_way_says_stage_dates_and_progress(personas):
    due, visit_by = today() + datetime.timedelta(days=20), today() + datetime.timedelta(days=60)
    review = PeerReview(personas, self_assessment_due=due, visit_due=visit_by, members_stated=20)
    for code in ("V1.1", "V1.3", "V2.1"):
        review.self_rate(code, "Met", narrative=STAFF_WORDS)
    review.members_answer("V1.2", *["yes"] * 6, anything_else=MEMBERS_WORDS)

    built = build_summary(personas.home, personas.commissioner)

    words = pdf_text(built.pdf)
    assert built.pages == 1
    assert "Self-assessment open" in words
    assert "3 of 8" in words and "criteria answered in the staff's" in words
    assert "how many answered is shown once the report is final" in words  # not how members answered
    assert f"Self-assessment due {due:%-d %B %Y}" in words and f"Visit due by {visit_by:%-d %B %Y}" in words
    assert f"{due:%-d %B %Y}" in words and "Next: Self-assessment due" in words
    assert "Self-assessment open ▶ Now" in words
    assert "Self-assessment submitted To come" in words and "Final report issued To come" in words
    assert "No settled review yet" not in words
    assert_no_markers(words)


def test_summary_of_a_service_with_nothing_yet_says_what_it_will_show(personas):
    service = ServiceFactory(name="Birch Court")
    commission(personas.commissioner, service)

    words = pdf_text(build_summary(service, personas.commissioner).pdf)

    assert "No review yet No review has been opened for this service." in words
    assert "shows its stage, its due dates and how far the self-assessment has got" in words


# --- the portfolio -----------------------------------------------------------------------------


def test_portfolio_opens_with_the_rag_grid_and_each_award_and_has_a_page_per_reviewed_service(personas):
    review = reviewed(personas, valid_for=42)
    rowan, birch = ServiceFactory(name="Rowan Lodge"), ServiceFactory(name="Birch Court")
    commission(personas.commissioner, rowan, birch)
    CycleFactory(service=rowan, edition=review.cycle.edition, self_assessment_due=today() + datetime.timedelta(days=10))

    built = build_portfolio_report(personas.commissioner)

    first = pdf_text(built.pdf, page=1)
    rows = [line for line in pdf_lines(built.pdf) if line.startswith(("Service", "Birch", "Kestrel", "Rowan"))]
    assert "3 services" in first
    assert rows[0].startswith("Service V1 V2 V3 V4 % met Award")
    assert rows[1] == "Birch Court – – – – — No review yet 0"
    assert rows[2].startswith("Kestrel Wing G A R G")  # a letter in every cell, never colour alone
    assert "83.3%" in first and "Awarded" in first
    assert rows[3] == "Rowan Lodge" and "– – – – — No final review yet 0" in pdf_lines(built.pdf)
    assert "⚠ Valid until" in first and "expires in 6" in first
    legend = next(line for line in pdf_lines(built.pdf) if line.startswith("G Green"))
    assert legend.startswith("G Green A Amber R Red") and "– Not yet rated" in legend
    expiry = today() + datetime.timedelta(days=42)
    assert f"Kestrel Wing: the award expires in 6 weeks ({expiry:%-d %B %Y}); 1 action overdue." in first
    assert "Rowan Lodge: review under way (Self-assessment open)" in first
    assert built.pages == 3  # the grid, Kestrel Wing, Rowan Lodge (Birch Court has nothing to show)
    assert all(fullness >= 0.34 for fullness in page_fullness(built.pdf)[:-1])
    assert_no_markers(pdf_text(built.pdf))


# --- a crowded summary still fits its page ---------------------------------------------------------

LONG_ACTION = ("Agree with the night staff, the advocate and two members how the wing's community meeting "
               "hears about every incident within a week, and write it into the induction pack number {n}.")
LONG_CONCERN = ("A member said on the visit that the fire door on the landing of block {n} is propped open at night "
                "and that staff know but have not reported it, which the team could not rule out.")
OTHERS = ["Rowan Lodge", "Birch Court", "Hazel Place", "Alder House", "Juniper Rise"]


def crowd(cycle, admin, actions=8, concerns=4):
    """Eight overdue actions and four urgent concerns escalated to the commissioners, all wordy."""
    for n in range(actions):
        ActionFactory(cycle=cycle, description=LONG_ACTION.format(n=n + 1),
                      due_date=today() - datetime.timedelta(days=10 + n))
    for n in range(concerns):
        FindingFactory(cycle=cycle, kind=FindingKind.URGENT, text=LONG_CONCERN.format(n=n + 1), escalated_by=admin,
                       escalated_at=timezone.now(), escalation_reason="Safety.")


@pytest.fixture
def crowded(personas):
    """Kestrel Wing's final review of an edition of twelve values with long names, in every voice:
    the staff rated themselves, members answered every question, five other services make a
    network, a review the year before makes a trend; and eight overdue actions and four escalated
    urgent concerns, all wordy. Two of the other services are commissioned too, as crowded."""
    edition = build_edition(values=12, criteria_per_value=3)
    edition.values.update(name="Relationships and belonging")
    settled_review(edition, personas.home, not_met=["V1.1", "V2.1"], opened=today() - datetime.timedelta(days=500))
    review = PeerReview(personas, edition=edition, members_stated=30)
    codes = list(edition.criteria.values_list("code", flat=True))
    SelfRating.objects.bulk_create(
        SelfRating(cycle=review.cycle, criterion=criterion(review.cycle, code), perspective=STAFF, version=1,
                   level=review.levels[1 if code.endswith(".1") else 2], narrative="", updated_by=personas.staff)
        for code in codes)
    for answer in ["yes"] * 5 + ["sometimes", "no"]:
        MemberResponseFactory(cycle=review.cycle, answers={criterion(review.cycle, code): answer for code in codes})
    review.to(CycleState.VISIT)
    review.everyone_rates().agree_everything(V1_1="Partly met", V2_3="Not met", V5_2="Partly met").finish()
    review.to(CycleState.FINAL)
    crowd(review.cycle, personas.admin)
    others = other_services(edition, OTHERS, state=CycleState.FINAL)
    for cycle in others[:2]:
        crowd(cycle, personas.admin)
    commission(personas.commissioner, *[cycle.service for cycle in others[:2]])
    return review


def test_a_crowded_summary_keeps_to_one_full_page_and_says_how_many_more(personas, crowded):
    built = build_summary(personas.home, personas.commissioner)

    words, lines = pdf_text(built.pdf), pdf_lines(built.pdf)
    assert pdf_pages(built.pdf) == built.pages == 1
    assert page_fullness(built.pdf)[0] >= 0.67
    assert sum(line.startswith("Relationships and belonging") for line in lines) >= 12  # the table: a line a value
    assert "Network median" in words and "Members: yes" in words and "Staff: met" in words  # headings on one line
    assert "Trend:" in words
    assert "Overdue actions (8)" in words and "Urgent concerns (4)" in words
    assert "more" in words and "escalated to commissioners" in words
    assert "…" in words  # long texts cut short, at a word


def test_a_portfolio_of_crowded_services_gives_each_one_page(personas, crowded):
    built = build_portfolio_report(personas.commissioner)

    fullness = page_fullness(built.pdf)
    assert built.pages == 4  # the grid, then Kestrel Wing, Rowan Lodge and Birch Court a page each
    assert all(page >= 0.34 for page in fullness[:-1])
    assert all(page >= 0.67 for page in fullness[1:])


# --- a fixed number of queries ----------------------------------------------------------------


@pytest.mark.parametrize("services", [3, 12])
def test_portfolio_rows_read_as_many_queries_for_twelve_services_as_for_three(personas, services,
                                                                               django_assert_max_num_queries):
    review = reviewed(personas)
    edition = review.cycle.edition
    others = [settled_review(edition, name=f"Service {n}", not_met=["V1.1"]) for n in range(services - 1)]
    for cycle in others:
        MemberResponseFactory(cycle=cycle, answers={criterion(cycle, "V1.2"): "yes"})
        ActionFactory(cycle=cycle, due_date=today() - datetime.timedelta(days=1))
    commission(personas.commissioner, *[cycle.service for cycle in others])
    wanted = list(commissioned_services(personas.commissioner))

    with django_assert_max_num_queries(22):
        rows = portfolio_rows(wanted, personas.commissioner)

    assert len(rows) == services
    assert all(row["values"] and row["award"] is not None for row in rows if row["service"] == personas.home)
