"""Appeals: the service's lead appeals within the window, with grounds; a network administrator
appoints a panel of people not involved; a panel member decides. Upheld changes the decision and
issues the final report's next version; dismissed leaves it. The portfolio and the report say
"Under appeal", then the result; a commissioner knows of the appeal but never reads its grounds."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assurance.models import RoleKind
from reviews.decisions.services.appeals import appoint_panel, decide_appeal, lodge_appeal, withdraw_appeal
from reviews.errors import ReviewError
from reviews.models import AppealStatus, ConflictOfInterest, CycleState, Decision, DecisionOutcome
from tests.factories import AppealFactory, DecisionFactory, RoleFactory, ServiceFactory, UserFactory
from tests.support.documents import download, pdf_text
from tests.support.pages import text
from tests.support.personas import browser_for
from tests.support.reviews import PeerReview, settled_review

GROUNDS = "The team missed the evening community meeting, where members run the house."


def admin_not_involved(username="panellist"):
    person = UserFactory(username=username, first_name="Pat", last_name="Panel")
    RoleFactory(user=person, kind=RoleKind.NETWORK_ADMIN, service=None)
    return person


@pytest.fixture
def decided(personas):
    review = PeerReview(personas).to(CycleState.VISIT)
    review.everyone_rates().agree_everything().finish()
    review.to(CycleState.FINAL)
    Decision.objects.filter(cycle=review.cycle).update(outcome=DecisionOutcome.NOT_AWARDED, valid_until=None)
    review.refresh()
    return review


def lodged(review):
    return lodge_appeal(review.cycle, grounds=GROUNDS, lodged_by=review.personas.lead)


def with_panel(review):
    appeal = lodged(review)
    panellist = admin_not_involved()
    appoint_panel(appeal, members=[panellist], appointed_by=review.personas.admin)
    return appeal, panellist


# --- lodging ------------------------------------------------------------------------------------


def test_the_service_lead_lodges_an_appeal_against_the_decision(decided):
    appeal = lodged(decided)

    assert appeal.status == AppealStatus.LODGED
    assert appeal.earlier_outcome == DecisionOutcome.NOT_AWARDED


def test_an_appeal_a_day_after_the_window_is_refused_with_the_last_day(decided, settings):
    settings.APPEAL_WINDOW_DAYS = 28
    recorded = timezone.now() - datetime.timedelta(days=29)
    Decision.objects.filter(cycle=decided.cycle).update(recorded_at=recorded)
    deadline = timezone.localdate(recorded) + datetime.timedelta(days=28)

    with pytest.raises(ReviewError, match=f"lodged by {deadline.day} {deadline:%B %Y}"):
        lodged(decided)


def test_an_appeal_needs_grounds(decided):
    with pytest.raises(ReviewError) as refused:
        lodge_appeal(decided.cycle, grounds="  ", lodged_by=decided.personas.lead)
    assert refused.value.field == "grounds"


@pytest.mark.parametrize("who", ["staff", "member", "commissioner", "admin"])
def test_only_the_service_lead_appeals(decided, who):
    with pytest.raises(ReviewError, match="Only the service's lead"):
        lodge_appeal(decided.cycle, grounds=GROUNDS, lodged_by=getattr(decided.personas, who))


def test_one_open_appeal_at_a_time(decided):
    lodged(decided)
    with pytest.raises(ReviewError, match="already under appeal"):
        lodged(decided)


def test_a_withdrawn_appeal_may_be_lodged_again(decided):
    withdraw_appeal(lodged(decided), withdrawn_by=decided.personas.lead)
    assert lodged(decided).is_open


def test_no_appeal_before_the_decision(personas):
    review = PeerReview(personas).to(CycleState.REPORT_DRAFT)
    with pytest.raises(ReviewError):
        lodged(review)


# --- the panel ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["lead_reviewer", "reviewer", "staff"])
def test_people_involved_cannot_sit_on_the_panel(decided, who):
    appeal = lodged(decided)
    with pytest.raises(ReviewError, match="cannot sit on this panel"):
        appoint_panel(appeal, members=[getattr(decided.personas, who)], appointed_by=decided.personas.admin)


def test_the_administrator_who_recorded_the_decision_cannot_sit_on_the_panel(decided):
    appeal = lodged(decided)
    with pytest.raises(ReviewError, match="cannot sit on this panel"):
        appoint_panel(appeal, members=[decided.personas.admin], appointed_by=decided.personas.admin)


def test_an_administrator_with_a_conflict_of_interest_cannot_sit_on_the_panel(decided):
    appeal = lodged(decided)
    conflicted = admin_not_involved("conflicted")
    ConflictOfInterest.objects.create(user=conflicted, service=decided.cycle.service, reason="Worked there.")
    with pytest.raises(ReviewError, match="cannot sit on this panel"):
        appoint_panel(appeal, members=[conflicted], appointed_by=decided.personas.admin)


def test_an_administrator_staffing_the_service_cannot_sit_on_the_panel(decided):
    appeal = lodged(decided)
    tied = admin_not_involved("tied")
    RoleFactory(user=tied, kind=RoleKind.STAFF, service=decided.cycle.service)
    with pytest.raises(ReviewError, match="cannot sit on this panel"):
        appoint_panel(appeal, members=[tied], appointed_by=decided.personas.admin)


def test_a_panel_needs_someone(decided):
    with pytest.raises(ReviewError, match="at least one"):
        appoint_panel(lodged(decided), members=[], appointed_by=decided.personas.admin)


# --- deciding -----------------------------------------------------------------------------------


def test_only_a_panel_member_decides(decided):
    appeal, _panellist = with_panel(decided)
    other_admin = admin_not_involved("notonpanel")
    with pytest.raises(ReviewError, match="Only a member of the appeal panel"):
        decide_appeal(appeal, result="dismissed", reasons="No.", decided_by=other_admin)


def test_upheld_changes_the_decision_and_issues_the_final_report_again(decided, settings, media_root):
    appeal, panellist = with_panel(decided)
    versions_before = decided.cycle.reports.filter(is_final=True, audience="").count()

    decide_appeal(appeal, result="upheld", new_outcome=DecisionOutcome.AWARDED,
                  reasons="The community meeting shows Belonging met.", decided_by=panellist)

    decision = Decision.objects.get(cycle=decided.cycle)
    assert decision.outcome == DecisionOutcome.AWARDED
    assert decision.rationale.startswith("On appeal: The community meeting shows Belonging met.")
    recorded = timezone.localdate(decision.recorded_at)
    assert decision.valid_until == recorded.replace(year=recorded.year + settings.AWARD_VALID_YEARS)
    assert decided.cycle.reports.filter(is_final=True, audience="").count() == versions_before + 1
    issued = decided.cycle.reports.filter(is_final=True, audience="").order_by("-version").first()
    assert issued.snapshot["decision"]["appeal"]["result"] == "upheld"  # not still "under appeal"


def test_upheld_needs_a_different_outcome(decided):
    appeal, panellist = with_panel(decided)
    with pytest.raises(ReviewError) as refused:
        decide_appeal(appeal, result="upheld", new_outcome=DecisionOutcome.NOT_AWARDED, reasons="Yes.",
                      decided_by=panellist)
    assert refused.value.field == "new_outcome"


def test_the_panel_gives_reasons(decided):
    appeal, panellist = with_panel(decided)
    with pytest.raises(ReviewError) as refused:
        decide_appeal(appeal, result="dismissed", reasons=" ", decided_by=panellist)
    assert refused.value.field == "reasons"


def test_dismissed_leaves_the_decision(decided, media_root):
    appeal, panellist = with_panel(decided)
    before = Decision.objects.get(cycle=decided.cycle)
    versions_before = decided.cycle.reports.filter(is_final=True, audience="").count()

    decide_appeal(appeal, result="dismissed", reasons="The ratings stand.", decided_by=panellist)

    after = Decision.objects.get(cycle=decided.cycle)
    assert (after.outcome, after.rationale) == (before.outcome, before.rationale)
    assert decided.cycle.reports.filter(is_final=True, audience="").count() == versions_before


# --- the page -----------------------------------------------------------------------------------


def test_the_lead_lodges_on_the_page_and_sees_the_deadline(decided):
    browser = browser_for(decided.personas.lead)
    page = browser.get(decided.url("appeal"))
    assert "You may appeal until" in text(page)

    refused = browser.post(decided.url("appeal"), {"lodge": "", "grounds": ""})
    assert refused.status_code == 400
    assert "Give the grounds" in text(refused)

    browser.post(decided.url("appeal"), {"lodge": "", "grounds": GROUNDS})
    assert decided.cycle.appeals.get().grounds == GROUNDS


def test_the_panel_appointed_and_deciding_through_the_page(decided):
    appeal = lodged(decided)
    panellist = admin_not_involved()
    admin_page = browser_for(decided.personas.admin).get(decided.url("appeal"))
    assert "Pat Panel" in text(admin_page)
    assert "Willow" not in text(admin_page)

    browser_for(decided.personas.admin).post(decided.url("appeal"), {"appoint": "", "members": [panellist.pk]})
    assert list(appeal.panel.all()) == [panellist]

    response = browser_for(panellist).post(decided.url("appeal"), {"decide": "", "result": "dismissed",
                                                                   "reasons": "The ratings stand."})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.result == "dismissed"


def test_a_commissioner_sees_under_appeal_but_not_the_grounds(decided):
    lodged(decided)
    page = text(browser_for(decided.personas.commissioner).get(decided.url("appeal")))
    assert "Under appeal" in page
    assert GROUNDS not in page
    assert GROUNDS in text(browser_for(decided.personas.staff).get(decided.url("appeal")))


def test_the_cycle_page_says_under_appeal_then_the_result(decided):
    appeal, panellist = with_panel(decided)
    cycle_page = decided.cycle.get_absolute_url()
    assert "Under appeal" in text(browser_for(decided.personas.member).get(cycle_page))

    decide_appeal(appeal, result="dismissed", reasons="The ratings stand.", decided_by=panellist)

    assert "Appeal dismissed" in text(browser_for(decided.personas.member).get(cycle_page))


def test_another_services_cycle_is_not_found(decided):
    elsewhere = ServiceFactory(name="Elsewhere")
    lead_elsewhere = UserFactory(username="leadelsewhere")
    RoleFactory(user=lead_elsewhere, kind=RoleKind.SERVICE_LEAD, service=elsewhere)
    assert browser_for(lead_elsewhere).get(decided.url("appeal")).status_code == 404
    assert browser_for(lead_elsewhere).post(decided.url("appeal"), {"lodge": "", "grounds": GROUNDS}).status_code == 404


# --- the portfolio and the report -----------------------------------------------------------------


def test_the_portfolio_and_the_report_say_under_appeal_then_the_result(decided, media_root):
    appeal, panellist = with_panel(decided)
    commissioner = browser_for(decided.personas.commissioner)
    summary = reverse("reports:service-summary", args=[decided.cycle.service.slug])
    assert "Under appeal" in text(commissioner.get(reverse("reports:portfolio")))
    assert "Under appeal" in pdf_text(download(commissioner, summary)[1])
    # lodging the appeal issued the report's next version, which the report's link now gives
    report_link = commissioner.get(decided.url("report-pdf"))
    assert report_link.url == decided.url("report-final", 1)
    assert "Under appeal" in pdf_text(download(commissioner, report_link.url)[1])

    decide_appeal(appeal, result="upheld", new_outcome=DecisionOutcome.AWARDED_WITH_CONDITIONS,
                  reasons="The community meeting shows it.", decided_by=panellist)

    portfolio = text(commissioner.get(reverse("reports:portfolio")))
    assert "Appeal upheld: now Awarded with conditions" in portfolio
    assert "Under appeal" not in portfolio
    assert "Appeal upheld" in pdf_text(download(commissioner, summary)[1])
    report_link = commissioner.get(decided.url("report-pdf"))
    assert report_link.url == decided.url("report-final", 2)
    report = pdf_text(download(commissioner, report_link.url)[1])
    assert "Appeal upheld" in report
    assert "Not awarded became Awarded with conditions" in report
    assert "The community meeting shows it." not in report.split("Summary")[0]


def _portfolio_queries(user):
    browser = browser_for(user)
    browser.get(reverse("reports:portfolio"))
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(reverse("reports:portfolio")).status_code == 200
    return len(queries)


def test_the_portfolio_reads_appeals_and_awards_in_a_fixed_number_of_queries(decided):
    lodged(decided)
    commissioner = decided.personas.commissioner
    one = _portfolio_queries(commissioner)
    for name in ("Second", "Third"):
        cycle = settled_review(decided.cycle.edition, state=CycleState.FINAL, name=name)
        DecisionFactory(cycle=cycle, outcome=DecisionOutcome.AWARDED,
                        valid_until=timezone.localdate() + datetime.timedelta(days=30))
        AppealFactory(cycle=cycle)
        RoleFactory(user=commissioner, kind=RoleKind.COMMISSIONER, service=cycle.service)
    assert _portfolio_queries(commissioner) <= one + 2


def test_a_panel_member_does_not_change_their_own_panel(decided):
    """The panel decides; who sits on it is for another administrator, and the page offers a panel
    member only the deciding."""
    appeal, panellist = with_panel(decided)

    with pytest.raises(ReviewError, match="another administrator"):
        appoint_panel(appeal, members=[panellist], appointed_by=panellist)
    page = text(browser_for(panellist).get(reverse("reviews:appeal", args=[decided.cycle.pk])))
    assert "Appoint the appeal panel" not in page
