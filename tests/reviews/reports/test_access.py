"""Who reaches the report page, the draft and final PDFs and the exports, persona by persona and
stage by stage (everyone else: 404); and which sections of an export each person gets, as
docs/exports.md says: a section the person may not see on the pages is left out entirely."""

import pytest
from django.urls import reverse

from assurance.models import RoleKind
from reviews.models import CycleState
from reviews.peer.services import submit_peer_ratings
from tests.factories import RoleFactory, UserFactory
from tests.support.documents import csv_header, download, json_export
from tests.support.personas import PERSONA_NAMES, browser_for, reviewer
from tests.support.reviews import PeerReview

pytestmark = pytest.mark.usefixtures("private_media")

VISIT, AGREED, DRAFT, FINAL, CLOSED = (
    CycleState.VISIT, CycleState.RATINGS_AGREED, CycleState.REPORT_DRAFT, CycleState.FINAL, CycleState.CLOSED
)
TEAM = {"reviewer", "lived_experience_reviewer", "lead_reviewer"}
SERVICE = {"lead", "staff", "member"}
WORKS_THERE = {"lead", "staff"}
EVERYONE = [*PERSONA_NAMES, "off_team", "other_lead"]
ALL_SECTIONS = ["staff", "members", "reviewers", "agreed"]

# Who reaches the report (page and PDFs) at each stage. During the visit only the peer reviewer
# has submitted their ratings, so only they (and administrators) may see everyone's.
REPORT_READERS = {
    VISIT: {"admin", "reviewer"},
    AGREED: {"admin"} | TEAM,
    DRAFT: {"admin"} | TEAM | SERVICE,
    FINAL: {"admin", "commissioner"} | TEAM | SERVICE,
    CLOSED: {"admin", "commissioner"} | TEAM | SERVICE,
}
# Who may export the cycle: the same people, and the whole team from the start (their export
# leaves out what they may not see yet).
# Everyone who may see a section of the export may download it (the service its own answers,
# from the day the cycle opens).
# Members' counts reach the service once ratings are agreed, so at the visit a member has nothing to export.
EXPORTERS = {
    VISIT: {"admin"} | TEAM | WORKS_THERE,
    AGREED: {"admin"} | TEAM | SERVICE,
    DRAFT: {"admin"} | TEAM | SERVICE,
    FINAL: {"admin", "commissioner"} | TEAM | SERVICE,
}
# The sections of each person's export (docs/exports.md).
SECTIONS = {
    VISIT: {
        "admin": ALL_SECTIONS,
        "reviewer": ALL_SECTIONS,  # has submitted: sees the others' and the agreed ratings so far
        "lived_experience_reviewer": ["staff", "members"],
        "lead_reviewer": ["staff", "members"],
        "lead": ["staff"], "staff": ["staff"],
    },
    AGREED: {"admin": ALL_SECTIONS, "lead": ["staff", "members"], "staff": ["staff", "members"],
             "member": ["members"]} | dict.fromkeys(sorted(TEAM), ALL_SECTIONS),
    DRAFT: {"admin": ALL_SECTIONS, "lead": ["staff", "members", "agreed"], "staff": ["staff", "members", "agreed"],
            "member": ["members", "agreed"]} | dict.fromkeys(sorted(TEAM), ALL_SECTIONS),
    FINAL: {"admin": ALL_SECTIONS, "lead": ALL_SECTIONS, "staff": ALL_SECTIONS,
            "member": ["members", "reviewers", "agreed"], "commissioner": ["members", "agreed"]} | dict.fromkeys(sorted(TEAM), ALL_SECTIONS),
}

SECRET = "Only the team may read this reviewer's comment."
MEMBERS_SAY = "Members say the Tuesday group is where they feel they belong."  # free text: never exported
MEMBERS_COUNTED = "'n': 11, 'yes': 7, 'sometimes': 3, 'no': 1"
STAFF_SAY = "Staff say the rota shows monthly supervision."


def review_at(personas, stage):
    """The home service's review at `stage`, with staff and members' own answers. The peer reviewer
    submits first, with a comment nobody outside the team should read before the report is final."""
    review = PeerReview(personas)
    review.self_rate("V1.3", "Met", narrative=STAFF_SAY)
    review.members_answer("V1.3", *["yes"] * 7, *["sometimes"] * 3, "no")
    review.members_answer("V1.3", "dont_know", anything_else=MEMBERS_SAY)
    review.to(VISIT)
    place = review.rate_everything(personas.reviewer, submit=False)
    place.ratings.filter(criterion__code="V1.3").update(comment=SECRET)
    submit_peer_ratings(place)
    if stage != VISIT:
        review.rate_everything(personas.lived_experience_reviewer)
        review.rate_everything(personas.lead_reviewer)
        review.agree_everything().finish()
    return review.to(stage)


@pytest.fixture
def people(personas):
    """Every persona, and two more: a peer reviewer not on this team, and the lead of another service."""
    other_lead = UserFactory(username="otherlead")
    RoleFactory(user=other_lead, kind=RoleKind.SERVICE_LEAD, service=personas.other)
    return {**{name: getattr(personas, name) for name in PERSONA_NAMES}, "off_team": reviewer("offteam"),
            "other_lead": other_lead}


def status(client, url):
    response, _content = download(client, url)
    return response.status_code


@pytest.mark.parametrize("stage", [VISIT, AGREED, DRAFT, FINAL, CLOSED])
def test_report_page_and_draft_pdf_reached_by(personas, people, stage):
    review = review_at(personas, stage)

    reached = {
        name: (status(browser_for(person), review.url("report")), status(browser_for(person), review.url("report-pdf")))
        for name, person in people.items()
    }

    assert reached == {name: (200, 200) if name in REPORT_READERS[stage] else (404, 404) for name in people}


def test_final_pdf_reached_by(personas, people):
    review = review_at(personas, FINAL)
    browser_for(personas.admin).post(review.url("report-issue"))

    reached = {name: status(browser_for(person), review.url("report-final", 1)) for name, person in people.items()}

    assert reached == {name: 200 if name in REPORT_READERS[FINAL] else 404 for name in people}


@pytest.mark.parametrize("stage", [VISIT, AGREED, DRAFT, FINAL])
def test_cycle_exports_reached_by(personas, people, stage):
    review = review_at(personas, stage)

    reached = {
        name: (status(browser_for(person), review.url("cycle-export", "csv")),
               status(browser_for(person), review.url("cycle-export", "json")))
        for name, person in people.items()
    }

    assert reached == {name: (200, 200) if name in EXPORTERS[stage] else (404, 404) for name in people}


def section_of(column):
    if column.startswith("reviewer") or column in ("self_and_peers_differ", "members_and_peers_differ"):
        return "reviewers"
    for section in ("staff", "members", "agreed"):
        if column.startswith(f"{section}_"):
            return section
    return None


@pytest.mark.parametrize(
    ("stage", "persona"), [(stage, persona) for stage, people in SECTIONS.items() for persona in people]
)
def test_cycle_export_sections_for(personas, stage, persona):
    review = review_at(personas, stage)
    client = browser_for(getattr(personas, persona))

    exported = json_export(client, review.url("cycle-export", "json"))
    header = csv_header(client, review.url("cycle-export", "csv"))
    _response, csv_bytes = download(client, review.url("cycle-export", "csv"))

    expected = SECTIONS[stage][persona]
    assert exported["cycle"]["sections"] == expected
    criteria = [criterion for value in exported["cycle"]["values"] for criterion in value["criteria"]]
    assert len(criteria) == 12
    assert all(set(ALL_SECTIONS) & set(criterion) == set(expected) for criterion in criteria)
    assert [section for section in ALL_SECTIONS if any(section_of(column) == section for column in header)] == expected
    readable = csv_bytes.decode() + str(exported)
    assert (SECRET in readable) == ("reviewers" in expected)
    assert (STAFF_SAY in readable) == ("staff" in expected)
    assert (MEMBERS_COUNTED in str(exported)) == ("members" in expected)
    assert MEMBERS_SAY not in readable


@pytest.mark.parametrize("name", ["report", "report-pdf", "cycle-export"])
def test_report_addresses_send_anonymous_to_sign_in(personas, client, name):
    review = review_at(personas, FINAL)
    url = review.url(name, "csv") if name == "cycle-export" else review.url(name)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_report_page_links_exports_only_for_exporters(personas):
    review = review_at(personas, FINAL)

    for name in ("admin", "lead", "member", "commissioner", "reviewer"):
        page = browser_for(getattr(personas, name)).get(review.url("report")).content.decode()
        assert (review.url("cycle-export", "csv") in page) == (name in EXPORTERS[FINAL]), name
