"""Reminders while a review is under way: the self-assessment due, ratings to submit, the draft
report to check and comments on it to answer.

Each rule takes the day and returns every (person, notice) due that day, whether or not sent
before (reviews.notices.due leaves out those already sent), in a fixed number of queries
whatever the size of the network. A notice's key names its occasion, so each is sent once; an
occasion that changes (a due date moved, a new comment) is a new one."""

import datetime

from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _

from reviews.cycles.models import Cycle, CycleState
from reviews.disclosure import Audience, Fact
from reviews.notices import kinds
from reviews.notices.recipients import People, link, team_of, told, with_people
from reviews.notices.sending import Notice

# A self-assessment is first reminded of this many days before it is due.
SELF_ASSESSMENT_NOTICE_DAYS = 14
# Ratings still to submit are reminded the day after the visit, and again this many days later.
RATINGS_AGAIN_DAYS = 7


def to_audiences(cycle, notice, audiences, people):
    return [(person, notice) for person in people.of(cycle, told(cycle, notice.facts, audiences))]


def self_assessment_due(today):
    """The service's lead and staff, from two weeks before the self-assessment is due, and again
    once it is overdue."""
    horizon = today + datetime.timedelta(days=SELF_ASSESSMENT_NOTICE_DAYS)
    cycles = list(with_people(Cycle.objects.filter(state=CycleState.OPEN, self_assessment_due__lte=horizon)))
    audiences = (Audience.LEAD, Audience.STAFF)
    people = People(cycles, audiences)
    found = []
    for cycle in cycles:
        due = cycle.self_assessment_due
        overdue = due < today
        if overdue:
            subject = _("%(service)s: the self-assessment is overdue") % {"service": cycle.service}
        else:
            subject = _("%(service)s: the self-assessment is due soon") % {"service": cycle.service}
        notice = Notice(
            kind=kinds.SELF_ASSESSMENT_DUE.code, key=f"self-assessment:{cycle.pk}:{'overdue' if overdue else 'due-soon'}:{due}",
            subject=subject, template="self_assessment_due", cycle=cycle, facts=(Fact.STAGE,),
            context={"service": cycle.service, "due": due, "overdue": overdue, "days": abs((due - today).days),
                     "link": link("reviews:cycle", cycle.pk)},
        )
        found += to_audiences(cycle, notice, audiences, people)
    return found


def ratings_due(today):
    """Each reviewer on the team who has not submitted their ratings, the day after the visit (or
    once the visit's due date has passed) and again a week later."""
    cycles = list(with_people(Cycle.objects.filter(state=CycleState.VISIT, visit__isnull=False).filter(
        Q(visit__date__lt=today) | Q(visit__date__isnull=True, visit_due__lt=today)
    )))
    People(cycles, (Audience.TEAM,))  # the team, each person once, with their roles read
    found = []
    for cycle in cycles:
        visited = cycle.visit.date or cycle.visit_due
        again = (today - visited).days > RATINGS_AGAIN_DAYS
        waiting = [member for member in team_of(cycle) if not member.has_submitted]
        notice = Notice(
            kind=kinds.RATINGS_DUE.code, key=f"ratings:{cycle.pk}:{visited}:{'again' if again else 'after-visit'}",
            subject=_("%(service)s: your ratings are still to submit") % {"service": cycle.service},
            template="ratings_due", cycle=cycle, facts=(Fact.OWN_RATINGS,),
            context={"service": cycle.service, "visited": visited, "again": again,
                     "link": link("reviews:review", cycle.pk)},
        )
        found += [(member.user, notice) for member in waiting if told(cycle, notice.facts, (Audience.TEAM,))]
    return found


def draft_ready(today):
    """The service's lead and staff, who may comment on the draft report's factual accuracy (the
    members read the draft too, but comment through staff: the policy shows them no comments).
    Sent again if the draft comes back after being taken back."""
    cycles = list(with_people(Cycle.objects.filter(state=CycleState.REPORT_DRAFT).annotate(
        drafted=Max("events__pk", filter=Q(events__to_state=CycleState.REPORT_DRAFT))
    )))
    audiences = (Audience.LEAD, Audience.STAFF)
    people = People(cycles, audiences)
    found = []
    for cycle in cycles:
        notice = Notice(
            kind=kinds.DRAFT_READY.code, key=f"draft:{cycle.pk}:{cycle.drafted or 0}",
            subject=_("%(service)s: the draft report is ready for you to check") % {"service": cycle.service},
            template="draft_ready", cycle=cycle, facts=(Fact.AGREED_RATINGS, Fact.ACCURACY_COMMENTS),
            context={"service": cycle.service, "link": link("reports:report", cycle.pk),
                     "comments_link": link("reviews:accuracy", cycle.pk)},
        )
        found += to_audiences(cycle, notice, audiences, people)
    return found


def comments_waiting(today):
    """The lead reviewer, when the service's comments on the draft report wait for an answer:
    once for each new comment (the key names the latest)."""
    cycles = list(with_people(Cycle.objects.filter(state=CycleState.REPORT_DRAFT).annotate(
        waiting=Count("accuracy_comments", filter=Q(accuracy_comments__responded_at__isnull=True)),
        latest=Max("accuracy_comments__pk", filter=Q(accuracy_comments__responded_at__isnull=True)),
    ).filter(waiting__gt=0)))
    People(cycles, (Audience.TEAM,))  # the team, each person once, with their roles read
    found = []
    for cycle in cycles:
        notice = Notice(
            kind=kinds.COMMENTS_WAITING.code, key=f"comments:{cycle.pk}:{cycle.latest}",
            subject=_("%(service)s: comments on the draft report wait for your answer") % {"service": cycle.service},
            template="comments_waiting", cycle=cycle, facts=(Fact.ACCURACY_COMMENTS,),
            context={"service": cycle.service, "waiting": cycle.waiting, "link": link("reviews:accuracy", cycle.pk)},
        )
        leads = [member.user for member in team_of(cycle) if member.is_lead]
        found += [(person, notice) for person in leads if told(cycle, notice.facts, (Audience.TEAM,))]
    return found
