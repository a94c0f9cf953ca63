"""The service report says what it is, read page by page the way its readers read it: a draft
before anything is agreed ("Not yet rated", never "0%"), a draft part agreed (how many are still
to agree), a working copy of a decided review whose final is not issued, each final version
(follow-up under way, after follow-up, under appeal); the same from the web and from
`render_report`, on every page, cover included. Partly met is named where a rule needs Met; dates
are written one way; a carried-over action is listed once; every page but the last earns its place.

One review is run through every state and each PDF is fetched once for the module (a PDF costs
about a second); the data is rolled back afterwards."""

import datetime
import io
import re
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from reviews.decisions.models import Recommendation, RecommendationStatus
from reviews.decisions.services.appeals import lodge_appeal
from reviews.decisions.services.follow_up import (
    decide_follow_up,
    open_follow_up,
    rate_follow_up,
    recommend_after_follow_up,
    save_follow_up_answer,
    submit_follow_up,
)
from reviews.models import CycleState, DecisionOutcome, FindingKind
from reviews.peer.models import Action, ActionStatus
from reviews.peer.services.outcomes import carry_open_actions
from reviews.reports.gallery import page_fullness
from reviews.templatetags.review_tags import long_date
from tests.factories import build_edition
from tests.support.documents import download, pdf_pages, pdf_text
from tests.support.pages import text
from tests.support.personas import browser_for, make_personas
from tests.support.reviews import PeerReview, criterion, level, settled_review

pytestmark = pytest.mark.django_db

CARRIED = "Include night staff in monthly reflective practice."
EARLIER_OPENED = datetime.date(2025, 3, 12)
UNMET = {"V1.3": "Partly met", "V1.6": "Not met", "V2.3": "Not met"}  # V1.3, V1.6 and V2.3 are tier 1
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class States:
    day: str  # the day the review was run through its states, as the reports write it
    pdfs: dict = field(default_factory=dict)  # state → PDF bytes
    redirect: str = ""  # where the draft link of a decided review with a final sends its reader
    final_link: str = ""
    appeal_redirect: str = ""
    command_final_is_stored_v3: bool = False


def render_command(cycle, path):
    call_command("render_report", "service", "--cycle", str(cycle.pk), "--output", str(path), stdout=io.StringIO())
    return path.read_bytes()


def issue_and_read(review, admin, commissioner):
    response = admin.post(review.url("report-issue"))
    assert response.status_code == 302
    version = review.cycle.reports.filter(is_final=True, audience="").count()
    response, pdf = download(commissioner, review.url("report-final", version))
    assert response.status_code == 200
    return pdf


def follow_up_decided(review, personas, follow_up):
    cycle = review.cycle
    for code in UNMET:
        save_follow_up_answer(follow_up, criterion(cycle, code), narrative=f"What changed for {code}.",
                              evidence_ids=[], base_version=0, saved_by=personas.staff)
    follow_up = submit_follow_up(follow_up, submitted_by=personas.lead)
    for code in UNMET:
        rate_follow_up(follow_up, criterion(cycle, code), level=level(cycle, "Met"), not_applicable=False,
                       rationale=f"New rating of {code}: Met.", base_version=None, rated_by=personas.lead_reviewer)
    recommendation = recommend_after_follow_up(follow_up, outcome=DecisionOutcome.AWARDED,
                                               reasons="The rota shows the change.", valid_until=None,
                                               recommended_by=personas.lead_reviewer)
    Recommendation.objects.filter(pk=recommendation.pk).update(status=RecommendationStatus.RATIFIED)
    recommendation.refresh_from_db()
    decide_follow_up(follow_up, recommendation=recommendation, decided_by=personas.admin)


def run_the_review(tmp_path):
    personas = make_personas()
    admin, commissioner = browser_for(personas.admin), browser_for(personas.commissioner)
    edition = build_edition(values=5, criteria_per_value=6)
    earlier = settled_review(build_edition(values=2, criteria_per_value=2, version="2024.1"), personas.home,
                             opened=EARLIER_OPENED)
    Action.objects.create(cycle=earlier, description=CARRIED, owner="Deputy manager", status=ActionStatus.OPEN,
                          due_date=EARLIER_OPENED + datetime.timedelta(days=200))
    states = States(day=long_date(timezone.localdate()))
    review = PeerReview(personas, edition=edition)
    carry_open_actions(review.cycle)  # as when the cycle opens

    review.to(CycleState.VISIT)
    states.pdfs["nothing agreed"] = download(admin, review.url("report-pdf"))[1]

    review.everyone_rates()
    for code in [f"V1.{n}" for n in range(1, 7)]:
        review.agree(code, UNMET.get(code, "Met"))
    states.pdfs["part agreed"] = download(admin, review.url("report-pdf"))[1]

    review.agree_everything(**{code.replace(".", "_"): label for code, label in UNMET.items()})
    review.finish()
    review.finding(kind=FindingKind.STRENGTH, text="Members chair the community meeting in turn.")
    review.finding(kind=FindingKind.DEVELOPMENT, text="Night staff are not yet part of reflective practice.")
    # A plan written before the same action twice was refused took the carried-over one up again.
    Action.objects.create(cycle=review.cycle, description=CARRIED, owner="Deputy manager",
                          due_date=timezone.localdate() + datetime.timedelta(days=60))
    review.action(description="Rewrite the complaints leaflet with members.", owner="Service lead")
    review.to(CycleState.REPORT_DRAFT)
    review.decide(outcome=DecisionOutcome.DEFERRED, rationale="Tier 1 criteria are not all met yet.")
    states.pdfs["working copy"] = download(admin, review.url("report-pdf"))[1]
    states.pdfs["working copy, command"] = render_command(review.cycle, tmp_path / "working.pdf")

    follow_up = open_follow_up(review.cycle, due_on=timezone.localdate() + datetime.timedelta(weeks=8),
                               opened_by=personas.admin)
    states.pdfs["final v1"] = issue_and_read(review, admin, commissioner)
    states.redirect = admin.get(review.url("report-pdf")).url
    states.final_link = review.url("report-final", 1)

    follow_up_decided(review, personas, follow_up)
    states.pdfs["final v2"] = issue_and_read(review, admin, commissioner)

    lodge_appeal(review.cycle, grounds="The follow-up came too late for the winter rota.", lodged_by=personas.lead)
    states.appeal_redirect = commissioner.get(review.url("report-pdf")).url  # lodging issued version 3
    states.pdfs["final v3"] = download(commissioner, states.appeal_redirect)[1]
    states.pdfs["final, command"] = render_command(review.cycle, tmp_path / "final.pdf")
    v3 = review.cycle.reports.get(is_final=True, audience="", version=3)
    with v3.file.open("rb") as file:
        states.command_final_is_stored_v3 = file.read() == states.pdfs["final, command"]
    return states


@pytest.fixture(scope="module")
def states(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        name = str(connection.settings_dict["NAME"])
        assert "memory" in name or "test" in name, f"not the test database: {name}"
        cache.clear()
        with transaction.atomic():
            result = run_the_review(tmp_path_factory.mktemp("out"))
            transaction.set_rollback(True)
        cache.clear()
    return result


def pages(pdf):
    return [pdf_text(pdf, number) for number in range(1, pdf_pages(pdf) + 1)]


DRAFT = "Draft report, built {day} from the current data: not final"
WORKING = "Working copy, built {day}: no final version has been issued"
IDENTITIES = {
    "nothing agreed": DRAFT,
    "part agreed": DRAFT,
    "working copy": WORKING,
    "working copy, command": WORKING,
    "final v1": "Final report, version 1, issued {day}: follow-up under way",
    "final v2": "Final report, version 2, issued {day}: after follow-up",
    "final v3": "Final report, version 3, issued {day}: under appeal; after follow-up",
    "final, command": "Final report, version 3, issued {day}: under appeal; after follow-up",
}  # {day} is the day the states were built (States.day), not the day this module was collected


# --- what the report is, on every page ----------------------------------------------------------


@pytest.mark.parametrize("state", IDENTITIES)
def test_service_report_says_what_it_is_on_every_page_cover_included(states, state):
    pdf = states.pdfs[state]

    every_page = pages(pdf)

    assert len(every_page) >= 3
    identity = IDENTITIES[state].format(day=states.day)
    assert [identity in page for page in every_page] == [True] * len(every_page)
    assert "Page 1 of" in every_page[0] and "Peer review report" in every_page[0]


@pytest.mark.parametrize("state", ["working copy", "final v1", "final v2", "final v3"])
def test_service_report_of_a_decided_review_is_never_called_a_draft(states, state):
    text = pdf_text(states.pdfs[state])

    assert "Draft report" not in text and "DRAFT" not in text
    if state == "working copy":
        assert "Final report issued" not in text and "Stage Decision recorded" in text


def test_service_report_draft_link_of_a_decided_review_gives_its_latest_final(states):
    assert states.redirect == states.final_link
    assert states.appeal_redirect.endswith("/report/v3.pdf")
    assert states.command_final_is_stored_v3  # the command writes the final as issued, not a draft


# --- nothing agreed, part agreed ----------------------------------------------------------------


def test_service_report_before_anything_is_agreed_says_not_yet_rated(states):
    text = pdf_text(states.pdfs["nothing agreed"])

    assert "No ratings agreed yet: the figures appear once the review team agrees them." in text
    assert "Agreed: Not yet rated" in text
    assert re.findall(r".{60}\b0%.{20}|0 of 0", text) == []
    assert "is not applicable" not in text  # unrated is not "every criterion is not applicable"
    assert "no criteria apply" not in text
    assert "Agreed ratings by tier" not in text
    assert "appear here once the review team agrees them: none is agreed yet." in text


def test_service_report_part_agreed_says_how_many_are_still_to_agree(states):
    text = pdf_text(states.pdfs["part agreed"])

    assert "24 of 30 criteria are not yet rated: the figures count only the ratings agreed so far." in text
    assert "Agreed ratings by tier (24 criteria not yet rated)" in text
    assert "Not yet rated" in text  # the values with nothing agreed, in the RAG table
    assert "Tier 1 criteria not fully met: V1.3 (partly met), V1.6 (not met)" in text


# --- met, partly met and not met named ------------------------------------------------------------


def test_service_report_names_partly_met_where_the_rule_needs_met(states):
    text = pdf_text(states.pdfs["final v1"])

    assert "Tier 1 criteria not fully met: V1.3 (partly met), V1.6 (not met)" in text
    assert "Tier 1 criteria not fully met: V2.3 (not met)" in text
    assert "tier 1 criteria not met" not in text


def test_service_report_final_after_follow_up_and_under_appeal_says_so_in_its_decision(states):
    v1, v3 = pdf_text(states.pdfs["final v1"], 1), pdf_text(states.pdfs["final v3"], 1)

    assert "Follow-up review under way, due by" in v1
    assert f"Under appeal since {states.day}" in v3
    assert f"Made again after a follow-up review on {states.day}" in v3


# --- dates, actions, pages --------------------------------------------------------------------


@pytest.mark.parametrize("state", IDENTITIES)
def test_service_report_writes_every_date_one_way(states, state):
    text = pdf_text(states.pdfs[state])

    assert ISO_DATE.findall(text) == []


def test_service_report_lists_a_carried_over_action_once(states):
    text = pdf_text(states.pdfs["final v1"])

    assert text.count(CARRIED) == 1
    assert f"(carried over from the review opened {long_date(EARLIER_OPENED)})" in text


@pytest.mark.parametrize("state", ["nothing agreed", "part agreed", "final v3"])
def test_service_report_leaves_no_page_but_the_last_mostly_empty(states, state):
    fullness = page_fullness(states.pdfs[state])

    assert [round(full, 2) for full in fullness[:-1] if full < 1 / 3] == [], fullness


@pytest.mark.django_db
def test_the_report_page_says_not_yet_rated_then_how_many_are_left(private_media):
    personas = make_personas()
    review = PeerReview(personas).to(CycleState.VISIT)
    admin = browser_for(personas.admin)

    before = text(admin.get(review.url("report")))
    review.everyone_rates()
    review.agree("V1.1", "Met")
    part = text(admin.get(review.url("report")))

    assert "No ratings agreed yet" in before and "the figures appear once the review team agrees them." in before
    assert "0%" not in before and "Red, amber, green" not in before
    assert "100.0% of applicable criteria met (1 of 1)" in part
    assert "criteria are not yet rated" in part and "the figures count only the ratings agreed so far." in part
