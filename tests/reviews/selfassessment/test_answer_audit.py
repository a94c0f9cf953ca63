"""Every change of a self-assessment answer is in the audit log, with who made it, before and after,
as a network administrator reads it at /audit/."""

from auditlog.models import LogEntry

from tests.factories import EvidenceFactory
from tests.support.pages import table_rows
from tests.support.personas import browser_for
from tests.support.reviews import NA, STAFF, home_cycle
from tests.support.wizard import Step, stored


def audit_rows(personas, code):
    """The audit log's rows about one criterion's answers, newest first."""
    return table_rows(browser_for(personas.admin).get("/audit/", {"q": code}))


def test_audit_log_shows_answer_created_with_who_and_what(personas):
    cycle = home_cycle(personas)

    Step(browser_for(personas.staff), cycle, STAFF, "V1").answer("V1.1", level="Met", narrative="Minutes.").post()

    [created] = audit_rows(personas, "V1.1")
    assert f"{personas.staff} (staff)" in created
    assert "Self-assessment answer “V1.1 (Staff)” created" in created
    assert "perspective Staff" in created
    assert "rating Met (2)" in created
    assert "what shows it Minutes." in created


def test_audit_log_shows_answer_change_with_before_and_after(personas):
    cycle = home_cycle(personas)
    Step(browser_for(personas.staff), cycle, STAFF, "V1").answer("V1.1", level="Met", narrative="Minutes.").post()

    page = Step(browser_for(personas.lead), cycle, STAFF, "V1")
    page.answer("V1.1", level=NA, reason="There is no garden.", narrative="Minutes, and more.").post()

    changed, _created = audit_rows(personas, "V1.1")
    assert f"{personas.lead} (lead)" in changed
    assert "Self-assessment answer “V1.1 (Staff)” changed" in changed
    assert "rating Met (2) —" in changed
    assert "not applicable False True" in changed
    assert "why it does not apply — There is no garden." in changed
    assert "what shows it Minutes. Minutes, and more." in changed
    assert f"last saved by {personas.staff} {personas.lead}" in changed
    entry = LogEntry.objects.get_for_object(stored(cycle, STAFF, "V1.1")).latest("timestamp")
    assert entry.actor == personas.lead
    assert entry.changes_dict["narrative"] == ["Minutes.", "Minutes, and more."]


def test_audit_log_shows_changes_saved_by_autosave(personas):
    cycle = home_cycle(personas)
    page = Step(browser_for(personas.staff), cycle, STAFF, "V1")

    page.answer("V1.3", level="Partly met", narrative="It depends who is on shift.").autosave()

    [created] = audit_rows(personas, "V1.3")
    assert f"{personas.staff} (staff)" in created
    assert "Self-assessment answer “V1.3 (Staff)” created" in created
    assert "what shows it It depends who is on shift." in created


def test_audit_log_shows_evidence_linked_and_unlinked(personas):
    cycle = home_cycle(personas)
    minutes = EvidenceFactory(cycle=cycle, title="Minutes of March")
    client = browser_for(personas.staff)
    Step(client, cycle, STAFF, "V1").answer("V1.1", level="Met", evidence=[minutes]).post()

    Step(client, cycle, STAFF, "V1").answer("V1.1", evidence=[]).post()

    unlinked, linked, _created = audit_rows(personas, "V1.1")
    assert "evidence — added: Minutes of March" in linked
    assert "evidence — removed: Minutes of March" in unlinked
    assert all(f"{personas.staff} (staff)" in row for row in (linked, unlinked))


def test_audit_log_records_the_answer_chosen_in_a_conflict(personas):
    cycle = home_cycle(personas)
    lead = Step(browser_for(personas.lead), cycle, STAFF, "V1")
    staff = Step(browser_for(personas.staff), cycle, STAFF, "V1")
    lead.answer("V1.1", level="Met", narrative="The lead's words.").post()
    staff.answer("V1.1", level="Not met", narrative="The staff member's words.").post()

    staff.answer("V1.1", resolution="mine").post()

    replaced, _created = audit_rows(personas, "V1.1")
    assert f"{personas.staff} (staff)" in replaced
    assert "rating Met (2) Not met (0)" in replaced
    assert "what shows it The lead's words. The staff member's words." in replaced


def test_audit_log_unchanged_by_resending_or_keeping_their_answer(personas):
    cycle = home_cycle(personas)
    lead = Step(browser_for(personas.lead), cycle, STAFF, "V1")
    staff = Step(browser_for(personas.staff), cycle, STAFF, "V1")
    lead.answer("V1.1", level="Met", narrative="The lead's words.")
    lead.post()
    entries = LogEntry.objects.count()

    lead.post()
    staff.answer("V1.1", level="Not met").post()
    staff.answer("V1.1", resolution="theirs").post()

    assert LogEntry.objects.count() == entries
    assert len(audit_rows(personas, "V1.1")) == 1
