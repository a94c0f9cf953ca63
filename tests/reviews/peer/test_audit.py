"""Every rating change and every step of the review is in the audit log, with who, when, before and
after, as a network administrator reads it at /audit/."""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from reviews.models import AgreedRating, Cycle, CycleEvent, CycleState, PeerRating, TeamMember
from tests.support.pages import table
from tests.support.peer import ValuePage
from tests.support.personas import browser_for
from tests.support.reviews import PeerReview, level


def audit_rows(personas, model, **filters):
    """The audit log's rows about one kind of record, newest first."""
    kind = ContentType.objects.get_for_model(model).pk
    response = browser_for(personas.admin).get("/audit/", {"kind": str(kind), **filters})
    return table(response, "Changes, newest first")


def who(person):
    return f"{person} ({person.username})"


def test_audit_log_shows_each_stage_of_the_review(personas):
    review = PeerReview(personas).submit_self_assessment().build_team()
    browser_for(personas.admin).post(review.url("visit"), {"start_review": ""})
    review.everyone_rates().agree_everything()
    browser_for(personas.lead_reviewer).post(review.url("agreement"), {"finish": ""})
    browser_for(personas.lead_reviewer).post(review.url("findings"), {"send_draft": ""})
    browser_for(personas.lead_reviewer).post(review.url("decision"), {
        "recommend": "", "outcome": "awarded", "reasons": "Meets the rule.", "valid_until": "2099-06-30", "follow_up_due": ""})
    browser_for(personas.admin).post(review.url("decision"), {"ratify": "", "reason": ""})
    browser_for(personas.admin).post(review.url("decision"), {"close": ""})

    events = audit_rows(personas, CycleEvent)
    changes = audit_rows(personas, Cycle)

    steps = [
        (personas.admin, "Self-assessment submitted", "Peer-review visit"),
        (personas.lead_reviewer, "Peer-review visit", "Ratings agreed"),
        (personas.lead_reviewer, "Ratings agreed", "Draft report"),
        (personas.admin, "Draft report", "Final report issued"),
        (personas.admin, "Final report issued", "Closed"),
    ]
    newest_first = list(reversed(steps))
    for (actor, before, after), event, change in zip(newest_first, events[:5], changes[:5], strict=True):
        assert who(actor) in event and f"Cycle event “{review.cycle.service}: {before} → {after}” created" in event
        assert f"from {before} to {after}" in event
        assert who(actor) in change and f"changed state {before} {after}" in change
    assert "reason Meets the rule." in events[1]


def test_audit_log_shows_team_changes(personas):
    review = PeerReview(personas).submit_self_assessment()
    client = browser_for(personas.admin)
    client.post(review.url("visit"), {"add_member": "1", "user": str(personas.reviewer.pk), "place": "peer_reviewer"})
    client.post(review.url("visit"), {"remove_member": str(review.member(personas.reviewer).pk)})

    removed, added = audit_rows(personas, TeamMember)[:2]

    assert who(personas.admin) in added and f"“{personas.reviewer}: Peer reviewer” created" in added
    assert who(personas.admin) in removed and f"“{personas.reviewer}: Peer reviewer” deleted" in removed


def test_peer_rating_changes_logged_with_who(personas):
    review = PeerReview(personas).to(CycleState.VISIT)
    client = browser_for(personas.reviewer)
    ValuePage(client, review.cycle, "V1").rate("V1.1", "Met", comment="Seen in the minutes.").post()
    ValuePage(client, review.cycle, "V1").rate("V1.1", "Partly met", comment="Not on nights.").post()

    entries = LogEntry.objects.get_for_model(PeerRating).order_by("timestamp", "pk")

    assert [(e.action, e.actor) for e in entries] == [
        (LogEntry.Action.CREATE, personas.reviewer), (LogEntry.Action.UPDATE, personas.reviewer),
    ]
    assert entries[1].changes_dict["comment"] == ["Seen in the minutes.", "Not on nights."]
    # A draft is the reviewer's own: the log's page shows its values once they submit.
    changed, created = audit_rows(personas, PeerRating)
    assert who(personas.reviewer) in changed and "Met (2)" not in changed and "Not on nights." not in changed
    assert "A reviewer's draft: its values appear here once they submit their ratings." in changed
    review.rate_everything(personas.reviewer, label="Partly met")
    assert any("rating Met (2) Partly met (1)" in row for row in audit_rows(personas, PeerRating))


def test_agreed_rating_changes_logged_with_who(personas):
    review = PeerReview(personas).to(CycleState.VISIT).everyone_rates()
    client = browser_for(personas.lead_reviewer)
    for version, label, rationale in ((0, "Met", ""), (1, "Partly met", "Nights differ.")):
        client.post(review.url("agree-criterion", "V2.1"), {
            "level": str(level(review.cycle, label).pk), "rationale": rationale, "version": str(version),
        })

    entries = LogEntry.objects.get_for_model(AgreedRating).order_by("timestamp", "pk")

    assert [(e.action, e.actor) for e in entries] == [
        (LogEntry.Action.CREATE, personas.lead_reviewer), (LogEntry.Action.UPDATE, personas.lead_reviewer),
    ]
    changed, _created = audit_rows(personas, AgreedRating)
    assert "agreed rating Met (2) Partly met (1)" in changed
    assert "rationale — Nights differ." in changed
