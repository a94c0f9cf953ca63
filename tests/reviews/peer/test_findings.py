"""Findings: strengths, areas for development and urgent concerns (which reach the network
administrators at once), recorded by the lead reviewer until the report is final; and the draft
report, sent by the lead reviewer once the ratings are agreed."""

import pytest
from django.core import mail

from assurance.models import RoleKind
from reviews.models import CycleState, Finding, FindingKind
from tests.factories import RoleFactory, UserFactory
from tests.support.pages import section, text
from tests.support.peer import agreed_review
from tests.support.personas import browser_for
from tests.support.reviews import PeerReview, criterion


def add_finding(client, review, kind, text_, code=""):
    pk = str(criterion(review.cycle, code).pk) if code else ""
    return client.post(review.url("findings"), {"add_finding": "", "finding-kind": kind, "finding-text": text_,
                                                "finding-criterion": pk}, follow=True)


# --- findings ---------------------------------------------------------------------------------


def test_findings_recorded_by_lead_under_their_kind(personas):
    review = PeerReview(personas).to(CycleState.VISIT)
    client = browser_for(personas.lead_reviewer)

    add_finding(client, review, FindingKind.STRENGTH, "Members chair the community meeting in turn.")
    add_finding(client, review, FindingKind.DEVELOPMENT, "Night staff miss reflective practice.", code="V1.1")
    response = add_finding(client, review, FindingKind.STRENGTH, "Staff and members eat together daily.")

    assert "Finding recorded." in text(response)
    assert section(response, "findings-strength") == (
        "Strengths (2) Members chair the community meeting in turn. Staff and members eat together daily."
    )
    assert section(response, "findings-development") == "Areas for development (1) Night staff miss reflective practice. (V1.1)"
    assert section(response, "findings-urgent") == "Urgent concerns (0) None recorded."
    assert Finding.objects.get(kind=FindingKind.DEVELOPMENT).criterion.code == "V1.1"


def test_finding_without_text_refused(personas):
    review = PeerReview(personas).to(CycleState.VISIT)

    response = browser_for(personas.lead_reviewer).post(
        review.url("findings"), {"add_finding": "", "finding-kind": "strength", "finding-text": "  "}
    )

    assert response.status_code == 400
    assert not Finding.objects.exists()


@pytest.mark.parametrize("persona", ["reviewer", "admin"])
def test_findings_recorded_only_by_lead_reviewer(personas, persona):
    review = PeerReview(personas).to(CycleState.VISIT)

    response = browser_for(getattr(personas, persona)).post(
        review.url("findings"), {"add_finding": "", "finding-kind": "strength", "finding-text": "Warm welcome."}
    )

    assert response.status_code == 404
    assert not Finding.objects.exists()


def test_findings_closed_once_report_final(personas):
    review = agreed_review(personas, CycleState.FINAL)
    client = browser_for(personas.lead_reviewer)

    page = client.get(review.url("findings"))
    response = client.post(review.url("findings"), {"add_finding": "", "finding-kind": "strength",
                                                    "finding-text": "Too late."})

    assert "Record a finding" not in text(page)
    assert response.status_code == 404
    assert not Finding.objects.exists()


# --- urgent concerns --------------------------------------------------------------------------


def network_admin(username, email=None, **fields):
    user = UserFactory(username=username, **fields)
    if email is not None:
        user.email = email
        user.save()
    RoleFactory(user=user, kind=RoleKind.NETWORK_ADMIN, service=None)
    return user


def test_urgent_concern_emailed_to_every_admin_with_an_address(personas, django_capture_on_commit_callbacks):
    review = PeerReview(personas).to(CycleState.VISIT)
    second = network_admin("admin2")
    network_admin("noemail", email="")
    network_admin("retired", is_active=False)
    superuser = UserFactory(username="root", is_superuser=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = add_finding(browser_for(personas.lead_reviewer), review, FindingKind.URGENT,
                               "A member told us night checks are skipped.")

    assert "Urgent concern recorded. The network administrators have been told." in text(response)
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        [personas.admin.email, second.email, superuser.email]
    )
    assert all(len(message.to) == 1 for message in mail.outbox)  # nobody sees the others' addresses
    for message in mail.outbox:
        assert message.subject == "Urgent concern: Kestrel Wing"
        assert "A member told us night checks are skipped." in message.body
        assert f"by {personas.lead_reviewer}" in message.body
        assert f"/cycles/{review.cycle.pk}/findings/" in message.body


def test_other_findings_email_nobody(personas, django_capture_on_commit_callbacks):
    review = PeerReview(personas).to(CycleState.VISIT)

    with django_capture_on_commit_callbacks(execute=True):
        add_finding(browser_for(personas.lead_reviewer), review, FindingKind.DEVELOPMENT, "Links have lapsed.")

    assert mail.outbox == []


def test_urgent_concern_on_admin_home_until_acknowledged(personas):
    review = PeerReview(personas).to(CycleState.VISIT)
    second = network_admin("admin2")
    add_finding(browser_for(personas.lead_reviewer), review, FindingKind.URGENT, "Night checks are skipped.")
    finding = Finding.objects.get()

    homes = [text(browser_for(admin).get("/")) for admin in (personas.admin, second)]
    reviewer_home = text(browser_for(personas.lead_reviewer).get("/"))
    acknowledged = browser_for(second).post(review.url("findings"), {"acknowledge": str(finding.pk)}, follow=True)

    for home in homes:
        assert "Urgent concern at Kestrel Wing, recorded on" in home
        assert "Night checks are skipped." in home
    assert "Urgent concern at Kestrel Wing" not in reviewer_home
    assert "Urgent concern acknowledged." in text(acknowledged)
    assert f"Acknowledged by {second}," in section(acknowledged, "findings-urgent")
    for admin in (personas.admin, second):
        assert "Urgent concern at Kestrel Wing" not in text(browser_for(admin).get("/"))
    finding.refresh_from_db()
    assert finding.acknowledged_by == second


def test_urgent_concern_acknowledged_only_by_admins(personas):
    review = PeerReview(personas).to(CycleState.VISIT)
    finding = review.finding(FindingKind.URGENT, "Night checks are skipped.")
    client = browser_for(personas.lead_reviewer)

    page = client.get(review.url("findings"))
    response = client.post(review.url("findings"), {"acknowledge": str(finding.pk)})

    assert "Not yet acknowledged by the network" in section(page, "findings-urgent")
    assert response.status_code == 404
    finding.refresh_from_db()
    assert finding.acknowledged_at is None


@pytest.mark.parametrize("value", ["x", "99999"])
def test_acknowledge_unknown_concern_404(personas, value):
    review = PeerReview(personas).to(CycleState.VISIT)

    response = browser_for(personas.admin).post(review.url("findings"), {"acknowledge": value})

    assert response.status_code == 404


# --- the draft report ------------------------------------------------------------------------


def test_draft_report_sent_by_lead_reviewer_once_ratings_agreed(personas):
    review = agreed_review(personas)
    client = browser_for(personas.lead_reviewer)

    page = client.get(review.url("findings"))
    response = client.post(review.url("findings"), {"send_draft": ""}, follow=True)

    assert "Send the draft report to the service" in text(page)
    assert response.redirect_chain[-1][0] == review.cycle.get_absolute_url()
    assert "The draft report has gone to the service for comments on factual accuracy." in text(response)
    assert review.refresh().cycle.state == CycleState.REPORT_DRAFT
    assert "Send the draft report to the service" not in text(client.get(review.url("findings")))


@pytest.mark.parametrize("persona", ["reviewer", "admin"])
def test_draft_report_sent_only_by_lead_reviewer(personas, persona):
    review = agreed_review(personas)

    response = browser_for(getattr(personas, persona)).post(review.url("findings"), {"send_draft": ""})

    assert response.status_code == 404
    assert review.refresh().cycle.state == CycleState.RATINGS_AGREED


def test_draft_report_not_sent_before_ratings_agreed(personas):
    review = PeerReview(personas).to(CycleState.VISIT)

    response = browser_for(personas.lead_reviewer).post(review.url("findings"), {"send_draft": ""})

    assert response.status_code == 404
    assert review.refresh().cycle.state == CycleState.VISIT
