"""Every notice due on a day: the reminder rules run, and what is already sent, turned off or
hidden by the disclosure policy is left out. `send_reminders` lists them; the task sends them."""

from dataclasses import dataclass

from reviews.notices import after_decision, reminders
from reviews.notices.models import NoticeOptOut, SentNotice
from reviews.notices.sending import may_receive

RULES = [
    reminders.self_assessment_due,
    reminders.ratings_due,
    reminders.draft_ready,
    reminders.comments_waiting,
    after_decision.decisions,
    after_decision.reports_ready,
    after_decision.actions_overdue,
    after_decision.awards_expiring,
]


@dataclass
class Due:
    deliveries: list  # (person, notice)
    opted_out: set  # (user id, kind): read once for all the people

    @property
    def people(self):
        return {person.pk for person, _notice in self.deliveries}


def occasions(today):
    """Every (person, notice) the rules find for the day, sent before or not."""
    return [delivery for rule in RULES for delivery in rule(today)]


def due_notices(today):
    """The notices to send today: each (person, notice) not sent before, that the person has not
    turned off and whose facts the policy lets them see now."""
    found = occasions(today)
    keys = {notice.key for _person, notice in found}
    users = {person.pk for person, _notice in found}
    sent = set(SentNotice.objects.filter(key__in=keys, user_id__in=users).values_list("user_id", "kind", "key"))
    opted_out = set(NoticeOptOut.objects.filter(user_id__in=users).values_list("user_id", "kind"))
    deliveries = [
        (person, notice) for person, notice in found
        if (person.pk, notice.kind, notice.key) not in sent and may_receive(person, notice, opted_out)
    ]
    return Due(deliveries, opted_out)
