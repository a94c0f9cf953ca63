"""The admin's home and the audit log name what changed in words: a stage change reads "Draft report
→ Final report issued", never the stored "report_draft → final"."""

from django.urls import reverse

from reviews.models import Action, CycleEvent, CycleState
from tests.factories import CycleFactory
from tests.support.pages import section, text


def test_recent_changes_name_stages_in_words(personas, client_for):
    cycle = CycleFactory(service=personas.home)
    CycleEvent.objects.create(cycle=cycle, from_state=CycleState.REPORT_DRAFT, to_state=CycleState.FINAL)

    home = client_for(personas.admin).get(reverse("home"))
    recent = section(home, "network-heading")

    assert "Draft report → Final report issued" in recent
    assert "report_draft" not in recent and "→ final" not in recent
    assert "Kestrel Wing" in recent  # the cycle, by its name rather than its number


def test_audit_log_names_choices_in_words_but_keeps_sentences_as_written(personas, client_for):
    cycle = CycleFactory(service=personas.home)
    CycleEvent.objects.create(cycle=cycle, from_state=CycleState.OPEN, to_state=CycleState.SELF_ASSESSMENT_SUBMITTED)
    Action.objects.create(cycle=cycle, description="open", owner="Manager", due_date=cycle.opened_at.date())

    log = text(client_for(personas.admin).get(reverse("audit-log")))

    assert "Cycle event “Kestrel Wing: Self-assessment open → Self-assessment submitted”" in log
    assert "self_assessment_submitted" not in log
    assert "Action “open”" in log
