"""A visit's dates: two or three are proposed, each invitee says on which they could come, the
organisers agree one, and it comes by email with a calendar file that the visit page offers too
(only to those who see the visit plan)."""

import datetime

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from reviews.errors import ReviewError
from reviews.models import (
    Availability,
    Cycle,
    DateAvailability,
    ProposedDate,
    TeamRole,
    TimetableItem,
    Visit,
    VisitInvitation,
)
from reviews.peer.services.invitations import (
    agree_date,
    answer_availability,
    answer_invitation,
    propose_dates,
    send_invitations,
)
from reviews.templatetags.review_tags import long_date
from tests.factories import CycleFactory, TeamMemberFactory, VisitFactory
from tests.support.pages import table, text
from tests.support.peer import post_visit
from tests.support.personas import browser_for, reviewer
from tests.support.reviews import PeerReview


@pytest.fixture
def visit_days(today):
    """Three days a few weeks ahead, to propose for the visit."""
    soon = today + datetime.timedelta(weeks=6)
    return [soon, soon + datetime.timedelta(days=2), soon + datetime.timedelta(days=7)]


@pytest.fixture
def review(personas):
    """The home service's review, self-assessment submitted, with its three reviewers on the team."""
    return PeerReview(personas).submit_self_assessment().build_team()


def send(client, review, **data):
    return post_visit(client, review, **data)


# --- proposed dates and availability ----------------------------------------------------------


@pytest.mark.parametrize(("picked", "message"), [
    ([0], "Propose two or three dates."),
    ([0, 0, 1, 2], "Propose two or three dates."),
    ([0, 0], "proposed twice"),
])
def test_proposals_refused(personas, review, visit_days, picked, message):
    with pytest.raises(ReviewError, match=message):
        propose_dates(review.cycle, [visit_days[n] for n in picked], by=personas.admin)
    assert not ProposedDate.objects.exists()


def test_a_date_that_has_passed_is_refused(personas, review, visit_days):
    Cycle.objects.filter(pk=review.cycle.pk).update(opened_at=timezone.now() - datetime.timedelta(days=60))

    with pytest.raises(ReviewError, match=f"{long_date(timezone.localdate() - datetime.timedelta(days=1))} has passed"):
        propose_dates(review.cycle, [visit_days[0], timezone.localdate() - datetime.timedelta(days=1)],
                      by=personas.admin)


def test_a_date_before_the_cycle_opened_is_refused_in_the_visit_dates_words(personas, visit_days):
    cycle = CycleFactory()
    Cycle.objects.filter(pk=cycle.pk).update(opened_at=timezone.now() + datetime.timedelta(days=30))
    cycle.refresh_from_db()
    VisitFactory(cycle=cycle)

    with pytest.raises(ReviewError, match="cannot be before the review cycle opened") as refusal:
        propose_dates(cycle, [visit_days[0] - datetime.timedelta(days=30), visit_days[0]], by=personas.admin)
    assert refusal.value.field == "date_1"


def test_proposing_on_the_page_refuses_the_same_date_twice_next_to_it(personas, review, visit_days):
    response = send(browser_for(personas.lead_reviewer), review, follow=False, propose_dates="",
                    **{"proposed-date_1": visit_days[0].isoformat(), "proposed-date_2": visit_days[0].isoformat()})

    assert response.status_code == 400
    assert f"Second date: {long_date(visit_days[0])} is proposed twice" in text(response)


def test_new_proposals_replace_the_ones_nobody_answered(personas, review, visit_days):
    send_invitations(review.cycle, by=personas.admin)
    first = propose_dates(review.cycle, visit_days[:2], by=personas.admin)
    answer_availability(first[0].visit, personas.reviewer, {first[0]: Availability.YES})

    propose_dates(review.cycle, [visit_days[2], visit_days[2] + datetime.timedelta(days=1)], by=personas.admin)

    assert list(ProposedDate.objects.values_list("date", flat=True)) == [
        visit_days[0], visit_days[2], visit_days[2] + datetime.timedelta(days=1)]


def test_availability_collected_and_shown_to_the_organisers(personas, review, django_capture_on_commit_callbacks,
                                                            visit_days):
    with django_capture_on_commit_callbacks(execute=True):
        send(browser_for(personas.admin), review, send_invitations="")
    with django_capture_on_commit_callbacks(execute=True):
        send(browser_for(personas.admin), review, propose_dates="",
             **{"proposed-date_1": visit_days[0].isoformat(), "proposed-date_2": visit_days[1].isoformat()})
    proposed = list(ProposedDate.objects.all())
    asked = [m for m in mail.outbox if long_date(visit_days[1]) in m.body and "Say on which of them" in m.body]
    assert sorted(m.to[0] for m in asked) == [
        "lead@example.test", "leadreviewer@example.test", "lived@example.test", "reviewer@example.test"]

    page = browser_for(personas.reviewer).get(review.url("visit"))
    assert "Can you come on these dates?" in text(page)
    send(browser_for(personas.reviewer), review, give_availability="", **{
        f"availability-on_{proposed[0].pk}": Availability.YES, f"availability-on_{proposed[1].pk}": Availability.NO})
    send(browser_for(personas.lead), review, give_availability="", **{
        f"availability-on_{proposed[0].pk}": Availability.IF_NEED_BE,
        f"availability-on_{proposed[1].pk}": Availability.YES})

    rows = table(browser_for(personas.lead_reviewer).get(review.url("visit")), "Who can come on each proposed date")
    first, second = rows
    assert first.startswith(long_date(visit_days[0]))
    assert str(personas.reviewer) in first and str(personas.lead) in first
    assert first.index(str(personas.reviewer)) < first.index(str(personas.lead))  # can, then if need be
    assert str(personas.lead_reviewer) in first  # not answered yet
    assert DateAvailability.objects.count() == 4


def test_availability_without_an_answer_names_the_date(personas, review, visit_days):
    send_invitations(review.cycle, by=personas.admin)
    proposed = propose_dates(review.cycle, visit_days[:2], by=personas.admin)

    response = send(browser_for(personas.reviewer), review, follow=False, give_availability="",
                    **{f"availability-on_{proposed[0].pk}": Availability.YES})

    assert response.status_code == 400
    assert f"Say whether you could come on {long_date(visit_days[1])}." in text(response)
    assert not DateAvailability.objects.exists()


def test_someone_not_invited_cannot_answer(personas, review, visit_days):
    send_invitations(review.cycle, by=personas.admin)
    propose_dates(review.cycle, visit_days[:2], by=personas.admin)

    response = send(browser_for(personas.staff), review, follow=False, answer_invitation="",
                    **{"invitation-answer": "accept"})

    assert response.status_code == 404


# --- agreeing a date, and the calendar file ----------------------------------------------------


def agreed(personas, review, django_capture_on_commit_callbacks, visit_days):
    with django_capture_on_commit_callbacks(execute=True):
        send_invitations(review.cycle, by=personas.admin)
        proposals = propose_dates(review.cycle, visit_days, by=personas.admin)
    mail.outbox.clear()
    chosen = next(p for p in proposals if p.date == visit_days[1])
    with django_capture_on_commit_callbacks(execute=True):
        response = send(browser_for(personas.lead_reviewer), review, agree_date=str(chosen.pk))
    return response


def calendar_event(content):
    calendar = icalendar.Calendar.from_ical(content)
    (event,) = calendar.walk("VEVENT")
    return event


def test_agreeing_sets_the_visit_date_keeps_notes_and_mails_a_calendar_file(personas, review, visit_days,
                                                                            django_capture_on_commit_callbacks):
    Visit.objects.filter(cycle=review.cycle).update(notes="Meet at reception.")

    response = agreed(personas, review, django_capture_on_commit_callbacks, visit_days)

    assert f"The visit is on {long_date(visit_days[1])}." in text(response)
    visit = Visit.objects.get(cycle=review.cycle)
    assert (visit.date, visit.notes) == (visit_days[1], "Meet at reception.")
    assert not ProposedDate.objects.exists()
    agreed_mail = [m for m in mail.outbox if "the date is agreed" in m.subject]
    assert sorted(m.to[0] for m in agreed_mail) == [
        "lead@example.test", "leadreviewer@example.test", "lived@example.test", "reviewer@example.test"]
    (filename, content, mimetype), = agreed_mail[0].attachments
    assert (filename, mimetype) == ("visit-kestrel-wing.ics", "text/calendar")
    event = calendar_event(content)
    assert event.decoded("dtstart") == visit_days[1]
    assert str(event["summary"]) == "Peer-review visit: Kestrel Wing"
    assert long_date(visit_days[1]) in agreed_mail[0].body


def test_a_changed_date_notifies_again_a_declined_person_is_not_told(personas, review,
                                                                   django_capture_on_commit_callbacks, visit_days):
    agreed(personas, review, django_capture_on_commit_callbacks, visit_days)
    answer_invitation(VisitInvitation.objects.get(user=personas.reviewer), accepted=False, reason="Away.")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        send(browser_for(personas.admin), review, save_visit="", date=visit_days[2].isoformat(), notes="",
             independent_ratings="on")

    assert sorted(m.to[0] for m in mail.outbox if "the date is agreed" in m.subject) == [
        "lead@example.test", "leadreviewer@example.test", "lived@example.test"]


def test_the_date_email_skips_someone_taken_off_the_team(personas, review, django_capture_on_commit_callbacks,
                                                         visit_days):
    with django_capture_on_commit_callbacks(execute=True):
        send_invitations(review.cycle, by=personas.admin)
        proposals = propose_dates(review.cycle, visit_days[:2], by=personas.admin)
    send(browser_for(personas.admin), review, remove_member=str(review.member(personas.reviewer).pk))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        agree_date(review.cycle, proposals[0], by=personas.admin)

    assert "reviewer@example.test" not in [m.to[0] for m in mail.outbox]
    assert len(mail.outbox) == 3


def test_the_calendar_file_spans_the_timetable_in_london_time(personas, review, django_capture_on_commit_callbacks,
                                                              visit_days):
    agreed(personas, review, django_capture_on_commit_callbacks, visit_days)
    visit = Visit.objects.get(cycle=review.cycle)
    TimetableItem.objects.create(visit=visit, starts_at=datetime.time(9, 30), ends_at=datetime.time(10), kind="arrival")
    TimetableItem.objects.create(visit=visit, starts_at=datetime.time(15), ends_at=datetime.time(16, 15),
                                 kind="feedback")

    response = browser_for(personas.member).get(review.url("visit-ics"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == 'attachment; filename="visit-kestrel-wing.ics"'
    event = calendar_event(response.content)
    starts, ends = event.decoded("dtstart"), event.decoded("dtend")
    assert (starts.date(), starts.time(), ends.time()) == (visit_days[1], datetime.time(9, 30), datetime.time(16, 15))
    assert str(starts.tzinfo) == "Europe/London"
    assert str(event["location"]) == "Kestrel Wing"
    assert review.url("visit") in str(event["description"])
    again = calendar_event(browser_for(personas.admin).get(review.url("visit-ics")).content)
    assert again["uid"] == event["uid"]


def test_the_visit_page_offers_the_calendar_file_once_a_date_is_agreed(personas, review,
                                                                      django_capture_on_commit_callbacks, visit_days):
    before = browser_for(personas.reviewer).get(review.url("visit"))
    assert "Add to your calendar (.ics)" not in text(before)
    assert browser_for(personas.reviewer).get(review.url("visit-ics")).status_code == 404

    agreed(personas, review, django_capture_on_commit_callbacks, visit_days)

    assert "Add to your calendar (.ics)" in text(browser_for(personas.reviewer).get(review.url("visit")))


def test_the_calendar_file_is_404_for_another_service_and_where_the_plan_is_hidden(
        personas, review, django_capture_on_commit_callbacks, visit_days):
    agreed(personas, review, django_capture_on_commit_callbacks, visit_days)
    elsewhere = reviewer("elsewhere", kind="service_lead", service=personas.other)

    # The service's commissioner sees the visit plan only once the report is final.
    assert browser_for(personas.commissioner).get(review.url("visit-ics")).status_code == 404
    assert browser_for(elsewhere).get(review.url("visit-ics")).status_code == 404
    assert browser_for(personas.outsider).get(review.url("visit-ics")).status_code == 404


# --- the visit page's queries -----------------------------------------------------------------


@pytest.mark.parametrize("invitees", [3, 12])
def test_visit_page_queries_stay_bounded(personas, invitees, django_assert_max_num_queries, visit_days):
    review = PeerReview(personas).submit_self_assessment().build_team(lead_reviewer=TeamRole.LEAD_REVIEWER)
    visit = Visit.objects.get(cycle=review.cycle)
    for number in range(invitees - 2):
        TeamMemberFactory(visit=visit, user=reviewer(f"extra{number}"))
    send_invitations(review.cycle, by=personas.admin)
    proposals = propose_dates(review.cycle, visit_days, by=personas.admin)
    for invitation in VisitInvitation.objects.select_related("visit"):
        answer_availability(invitation.visit, invitation.user, {p: Availability.YES for p in proposals})
    assert VisitInvitation.objects.count() == invitees

    for person in (personas.admin, personas.lead_reviewer):
        client = browser_for(person)
        with django_assert_max_num_queries(24):  # 22 today, with 3 invitees as with 12
            response = client.get(review.url("visit"))
        assert response.status_code == 200
