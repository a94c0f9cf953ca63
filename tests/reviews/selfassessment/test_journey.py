"""The whole self-assessment, through the pages: opened, answered by staff, checked, submitted,
locked for everyone, and reopened with a reason. (Members answer the members' questionnaire.)"""

from django.urls import reverse

from reviews.models import Cycle, CycleEvent, CycleState
from tests.factories import build_edition
from tests.support.pages import text
from tests.support.personas import browser_for
from tests.support.reviews import MEMBERS, NA, STAFF
from tests.support.wizard import Step, autosave_url, hub_url, step_url, stored_answers, task_list


def test_self_assessment_journey_from_opening_to_reopening(personas):
    """The whole self-assessment, from opening to reopening, as each person does their part. It is
    long because it follows the journey step by step, checking what each person sees."""
    edition = build_edition(values=4, criteria_per_value=3)
    admin, lead = browser_for(personas.admin), browser_for(personas.lead)
    staff, member = browser_for(personas.staff), browser_for(personas.member)

    # A network administrator opens the cycle.
    opened = admin.post(
        reverse("reviews:cycle-open"),
        {"service": "kestrel-wing", "edition": edition.pk, "self_assessment_due": "2027-03-01",
         "visit_due": "2027-06-01"},
        follow=True,
    )
    cycle = Cycle.objects.get(service=personas.home)
    assert "Review cycle opened for Kestrel Wing." in text(opened)
    assert "Self-assessment open" in text(opened)
    assert cycle.state == CycleState.OPEN
    hub = staff.get(hub_url(cycle, STAFF))
    assert "You have completed 0 of 4 values. 0 of 8 questions answered." in text(hub)
    assert all("0 of 2 answered" in row and "Not started" in row for row in task_list(hub)[:4])

    # Staff add a link as evidence from the first value, and come back to it.
    first = Step(staff, cycle, STAFF, "V1")
    to_evidence = first.post("add_evidence")
    assert to_evidence["Location"] == reverse("reviews:evidence", args=[cycle.pk]) + "?next=" + first.url
    back = staff.post(
        to_evidence["Location"],
        {"add_link": "", "link-title": "Community meeting minutes", "link-url": "https://example.org/minutes"},
    )
    assert back["Location"] == first.url
    [minutes] = cycle.evidence.all()

    # Staff answer the values one after another: some Not applicable, some with evidence.
    first = Step(staff, cycle, STAFF, "V1")
    assert "Community meeting minutes" in text(first.response)
    first.answer("V1.1", level="Met", narrative="Members chair the community meeting.", evidence=[minutes])
    first.answer("V1.3", level="Partly met", narrative="Night staff are less consistent.")
    assert first.post()["Location"] == step_url(cycle, STAFF, "V2")
    second = Step(staff, cycle, STAFF, "V2")
    second.answer("V2.1", level=NA, reason="There is no garden here.")
    second.answer("V2.3", level="Met", narrative="Our welcome pack.")
    assert second.post()["Location"] == step_url(cycle, STAFF, "V3")
    third = Step(staff, cycle, STAFF, "V3")
    third.answer("V3.1", level=NA)
    # Not applicable needs its reason when the page is saved; the autosave keeps the draft meanwhile.
    refused = third.post("save_and_exit")
    assert refused.status_code == 200
    assert "V3.1: say why this criterion does not apply to your service." in text(refused)
    assert third.autosave().status_code == 200
    later = staff.get(hub_url(cycle, STAFF))

    # The task list shows each value's progress, and who saved it last.
    rows = task_list(later)
    assert "Value 1 2 of 2 answered · last saved by " + str(personas.staff) in rows[0]
    assert "Completed" in rows[0] and "Completed" in rows[1]
    assert "1 of 2 answered" in rows[2] and "In progress" in rows[2]
    assert "0 of 2 answered" in rows[3] and "Not started" in rows[3] and "last saved" not in rows[3]
    assert "You have completed 2 of 4 values. 5 of 8 questions answered." in text(later)

    # A member who follows an old link to the members' self-assessment is sent to the questionnaire.
    assert member.get(hub_url(cycle, MEMBERS))["Location"] == reverse("reviews:questionnaire", args=[cycle.pk])

    # The lead checks: the page lists what needs a look, and submitting is refused for now.
    check = lead.get(step_url(cycle, STAFF, "check"))
    page = text(check)
    assert "5 answers need a look" in page
    assert "Not answered yet (3) to fix before submitting V3.3 V4.1 V4.3" in page
    assert "Not applicable, but no reason given (1) to fix before submitting V3.1" in page
    assert "Rated at the top level with no evidence attached (1) V2.3" in page
    submit = {f"answers-{cycle.pk}-staff-current_step": "check", "submit": "", "check-confirm": "on"}
    refused = lead.post(step_url(cycle, STAFF, "check"), submit)
    assert refused.status_code == 200
    assert "The self-assessment cannot be submitted yet: 4 answers need attention." in text(refused)
    assert Cycle.objects.get(pk=cycle.pk).state == CycleState.OPEN

    # The lead fixes them, then submits.
    third = Step(lead, cycle, STAFF, "V3")
    third.answer("V3.1", reason="We have no kitchen of our own.").answer("V3.3", level="Met", evidence=[minutes])
    assert third.post()["Location"] == step_url(cycle, STAFF, "V4")
    fourth = Step(lead, cycle, STAFF, "V4")
    fourth.answer("V4.1", level="Not met").answer("V4.3", level="Partly met")
    assert fourth.post()["Location"] == step_url(cycle, STAFF, "check")
    assert "1 answer needs a look" in text(lead.get(step_url(cycle, STAFF, "check")))
    submitted = lead.post(step_url(cycle, STAFF, "check"), submit, follow=True)
    assert submitted.redirect_chain == [(cycle.get_absolute_url(), 302)]
    assert "The self-assessment is submitted. It is now locked for the peer-review visit." in text(submitted)
    cycle.refresh_from_db()
    assert cycle.state == CycleState.SELF_ASSESSMENT_SUBMITTED
    assert cycle.submitted_by == personas.lead
    assert "Self-assessment submitted" in text(submitted)

    # Everything is now read-only, for everyone.
    staff_before = stored_answers(cycle, STAFF)
    # Pages opened before the submission, changed and sent after it:
    first.answer("V1.1", level="Not met", narrative="Changed after submitting.")
    for client, perspective, step in [(staff, STAFF, "V1"), (lead, STAFF, "check")]:
        locked = client.get(step_url(cycle, perspective, step), follow=True)
        assert locked.redirect_chain == [(hub_url(cycle, perspective), 302)]
        assert "These answers can no longer be changed." in text(locked)
        assert "The answers are locked and can be read but not changed." in text(locked)
    assert first.post()["Location"] == hub_url(cycle, STAFF)
    autosaved = staff.post(autosave_url(cycle, STAFF, "V1"), first.data)
    assert autosaved.status_code == 409
    assert autosaved.json()["message"] == "These answers can no longer be changed."
    assert stored_answers(cycle, STAFF) == staff_before

    # The administrator reopens it: a reason is required, then kept in the history.
    no_reason = admin.post(reverse("reviews:cycle-reopen", args=[cycle.pk]), {"reason": "  "})
    assert no_reason.status_code == 400
    assert "There is a problem Give a reason for reopening the self-assessment." in text(no_reason)
    assert Cycle.objects.get(pk=cycle.pk).state == CycleState.SELF_ASSESSMENT_SUBMITTED
    reopened = admin.post(
        reverse("reviews:cycle-reopen", args=[cycle.pk]),
        {"reason": "Members asked to add their view of value 4."},
        follow=True,
    )
    assert "The self-assessment is open again, and the reason is recorded." in text(reopened)
    assert "Reason: Members asked to add their view of value 4." in text(reopened)
    event = CycleEvent.objects.filter(cycle=cycle).latest("pk")
    assert (event.from_state, event.to_state, event.actor) == (
        CycleState.SELF_ASSESSMENT_SUBMITTED, CycleState.OPEN, personas.admin
    )
    assert Cycle.objects.get(pk=cycle.pk).state == CycleState.OPEN
    assert staff.get(step_url(cycle, STAFF, "V1")).status_code == 200
