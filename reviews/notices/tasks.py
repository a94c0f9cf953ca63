"""The reminders' background work, run by the task worker (`manage.py db_worker`):
`send_reminders` enqueues one task that sends every notice due."""

import datetime

from django.tasks import task

from reviews.notices.due import due_notices
from reviews.notices.sending import send_each


@task
def send_due_notices(today):
    """Sends every notice due on `today` (an ISO date) not sent before. A notice that fails is
    not recorded, so the next run tries it again. Returns {"sent": n, "failed": n}."""
    due = due_notices(datetime.date.fromisoformat(today))
    sent, failed = send_each(due.deliveries, due.opted_out)
    return {"sent": sent, "failed": failed}
