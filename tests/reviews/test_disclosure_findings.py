"""The leaks found when the demo was tried as each persona would, each shut: facts reached people
through doors the pages' own permissions did not guard. (test_disclosure.py checks every door at
once; these say, one by one, what went wrong and what people see now.)"""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from reviews.disclosure import Fact, policy_in_words, sees
from reviews.members.services import answer_as_member
from reviews.models import CycleState, FindingKind, PeerRating, TimetableItem
from reviews.peer.services import submit_peer_ratings
from reviews.reports.network import service_code
from reviews.selfassessment.models import Perspective
from tests.factories import ActionFactory, EvidenceFactory, FindingFactory
from tests.support.documents import download, pdf_text
from tests.support.pages import text
from tests.support.personas import browser_for
from tests.support.reviews import PeerReview, criterion

pytestmark = pytest.mark.usefixtures("media_root")

STAFF_SAY = "The rota shows monthly supervision for every shift."
EVIDENCE = "Supervision rota, spring"
URGENT = "A fire door on the top landing is propped open at night."
NOTES = "Please avoid the quiet room: a resident is unwell."


# --- 3. commissioners see only the stage until the report is final ----------------------------


@pytest.mark.parametrize("stage", [CycleState.VISIT, CycleState.RATINGS_AGREED, CycleState.REPORT_DRAFT])
def test_commissioner_sees_only_the_stage_of_a_review_under_way(personas, stage):
    review = PeerReview(personas).to(CycleState.VISIT)
    review.everyone_rates().agree_everything(V3_3="Not met").finish()
    FindingFactory(cycle=review.cycle, kind=FindingKind.URGENT, text=URGENT)
    ActionFactory(cycle=review.cycle, description="Fix the door.", due_date=timezone.localdate() - datetime.timedelta(days=2))
    review.to(stage)
    client = browser_for(personas.commissioner)

    portfolio = text(client.get(reverse("reports:portfolio")))
    _response, summary = download(client, reverse("reports:service-summary", args=[personas.home.slug]))
    summary = pdf_text(summary)

    assert review.cycle.get_state_display() in portfolio and "No final review yet" in portfolio
    assert review.cycle.get_state_display() in summary
    assert "Its results appear here once its report is final." in summary
    assert "% met" not in summary
    for seen in (portfolio, summary):
        assert URGENT not in seen and "Fix the door." not in seen
        assert "Red" not in seen


def test_commissioner_reads_an_urgent_concern_once_an_administrator_escalates_it(personas, mailoutbox,
                                                                                  django_capture_on_commit_callbacks):
    review = PeerReview(personas).to(CycleState.VISIT)
    finding = FindingFactory(cycle=review.cycle, kind=FindingKind.URGENT, text=URGENT)
    client = browser_for(personas.commissioner)
    before = text(client.get("/"))

    admin = browser_for(personas.admin)
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(review.url("findings"), {"escalate": finding.pk, f"escalation-{finding.pk}-reason": "Fire safety."})
    after = text(client.get("/"))

    assert URGENT not in before
    assert f"Urgent concern at {personas.home.name}, escalated to you on" in after
    assert URGENT in after
    assert "Fire safety." in after
    finding.refresh_from_db()
    assert finding.escalated_by == personas.admin and finding.is_escalated
    [email] = [m for m in mailoutbox if m.to == [personas.commissioner.email]]
    assert URGENT in email.body and "Fire safety." in email.body


def test_escalation_needs_a_reason_and_an_administrator(personas):
    review = PeerReview(personas).to(CycleState.VISIT)
    finding = FindingFactory(cycle=review.cycle, kind=FindingKind.URGENT, text=URGENT)

    refused = browser_for(personas.admin).post(review.url("findings"), {"escalate": finding.pk})
    by_lead_reviewer = browser_for(personas.lead_reviewer).post(
        review.url("findings"), {"escalate": finding.pk, f"escalation-{finding.pk}-reason": "Now."}
    )

    assert refused.status_code == 400 and "Say why the commissioners need to know now." in text(refused)
    assert by_lead_reviewer.status_code == 404
    finding.refresh_from_db()
    assert not finding.is_escalated


# --- 4. a reviewer yet to submit reads nobody's agreed ratings --------------------------------


def test_reviewer_yet_to_submit_reads_no_agreed_rating_or_rationale(personas):
    review = PeerReview(personas).to(CycleState.VISIT)
    review.rate_everything(personas.lead_reviewer)
    review.agree("V1.1", "Not met", rationale="The night staff said otherwise.")
    client = browser_for(personas.lived_experience_reviewer)

    for page in ("accuracy", "decision", "agreement"):
        assert client.get(review.url(page)).status_code == 404, page
    assert "The night staff said otherwise." not in text(client.get(review.url("review-value", "V1")))


# --- 5. a member's copy of the report has no staff answers or staff evidence -------------------


def test_member_report_pdf_leaves_out_the_staff_answers_and_evidence(personas):
    review = PeerReview(personas)
    review.self_rate("V1.3", "Met", narrative=STAFF_SAY)
    answer = review.cycle.self_ratings.get(criterion__code="V1.3", perspective=Perspective.STAFF)
    answer.evidence.set([EvidenceFactory(cycle=review.cycle, title=EVIDENCE)])
    review.to(CycleState.REPORT_DRAFT)

    _response, member_copy = download(browser_for(personas.member), review.url("report-pdf"))
    _response, staff_copy = download(browser_for(personas.staff), review.url("report-pdf"))

    assert EVIDENCE in pdf_text(staff_copy) and "Staff:" in pdf_text(staff_copy)
    assert EVIDENCE not in pdf_text(member_copy) and "Staff:" not in pdf_text(member_copy)
    assert browser_for(personas.member).get(review.url("answers", "staff")).status_code == 404


# --- 6. the service cannot tell who wrote which comment from their order -----------------------


def test_draft_report_comments_come_in_an_order_that_names_nobody(personas):
    """The team is listed on the cover: reviewer, lived-experience reviewer, lead. Their comments
    come in the order of the words, not of the team."""
    review = PeerReview(personas).to(CycleState.VISIT)
    comments = {personas.reviewer: "Zebra crossing outside", personas.lived_experience_reviewer: "Apples at breakfast",
                personas.lead_reviewer: "Mostly in place"}
    for person, comment in comments.items():
        place = review.rate_everything(person, submit=False)
        PeerRating.objects.filter(team_member=place, criterion__code="V1.1").update(comment=comment)
        submit_peer_ratings(place)
    review.agree_everything().finish()
    review.to(CycleState.REPORT_DRAFT)

    words = pdf_text(download(browser_for(personas.lead), review.url("report-pdf"))[1])

    assert words.index("Apples at breakfast") < words.index("Mostly in place") < words.index("Zebra crossing outside")


# --- 7. members read no urgent-concern text, no team notes, and staff never learn which member -


def test_members_read_strengths_but_no_urgent_concern_or_team_notes(personas):
    review = PeerReview(personas).to(CycleState.VISIT)
    review.finding(kind=FindingKind.STRENGTH, text="Members chair the community meeting.")
    review.finding(kind=FindingKind.URGENT, text=URGENT)
    review.cycle.visit.notes = NOTES
    review.cycle.visit.save()
    TimetableItem.objects.create(visit=review.cycle.visit, starts_at=datetime.time(10), kind="members",
                                 details="Members' meeting")
    review.everyone_rates().agree_everything().finish()
    review.to(CycleState.REPORT_DRAFT)
    member = browser_for(personas.member)

    findings, visit = text(member.get(review.url("findings"))), text(member.get(review.url("visit")))

    assert "Members chair the community meeting." in findings
    assert URGENT not in findings and "Urgent concerns" not in findings
    assert "Members' meeting" in visit and NOTES not in visit
    assert URGENT in text(browser_for(personas.lead).get(review.url("findings")))
    assert NOTES in text(browser_for(personas.lead_reviewer).get(review.url("visit")))


def test_nobody_learns_which_member_answered_and_only_the_team_reads_their_words(personas):
    """A member answers with their account and writes for the reviewers. Once the ratings are
    agreed, staff, the lead and administrators see how many answered, never who answered what
    nor the words; the review team reads the words, without a name."""
    review = PeerReview(personas).to(CycleState.VISIT)
    words = "Nights feel different; please ask the night staff."
    answer_as_member(review.cycle, personas.member, {criterion(review.cycle, "V1.2").pk: "no"}, words)
    review.to(CycleState.RATINGS_AGREED)

    for person in (personas.lead, personas.staff, personas.admin, personas.lead_reviewer):
        page = text(browser_for(person).get(review.url("members")))
        assert str(personas.member) not in page, person
        assert (words in page) == (person == personas.lead_reviewer), person


# --- 2. network codes: keyed, yearly, never a ranking -----------------------------------------


def test_network_codes_are_keyed_with_a_secret_and_change_every_year(personas):
    service = personas.home

    this_year, next_year = service_code(service, 2026), service_code(service, 2027)
    with override_settings(NETWORK_CODE_SECRET="another secret, elsewhere"):
        elsewhere = service_code(service, 2026)

    assert this_year != next_year and this_year != elsewhere
    assert this_year == service_code(service, 2026)  # the same all year


# --- the policy as people read it -------------------------------------------------------------


def test_docs_disclosure_page_is_the_policy_in_words():
    with open("docs/disclosure.md") as page:
        assert page.read() == policy_in_words(), "run: python manage.py disclosure_policy --output docs/disclosure.md"


def test_policy_never_lets_anyone_outside_a_cycle_see_anything(personas):
    review = PeerReview(personas).to(CycleState.FINAL)
    for person in (personas.outsider, None):
        assert not any(sees(person, review.cycle, fact) for fact in Fact)
