"""What the health endpoint (assurance.views.health) checks for a load balancer: can this host reach
the database and the file storage, and is the task queue being worked? Each check says whether it
is well; what went wrong goes to the log, never into the answer."""

import logging
import time
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

log = logging.getLogger(__name__)


def _timed(check):
    started = time.monotonic()
    try:
        outcome = check()
    except Exception:
        log.exception("Health check %s failed", check.__name__)
        outcome = {"ok": False}
    outcome["ms"] = round((time.monotonic() - started) * 1000, 1)
    return outcome


def database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def storage():
    """Writes, reads back and deletes a small file: a storage that can only be listed is not well."""
    name = default_storage.save(f"health/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as stored:
            return {"ok": stored.read() == b"ok"}
    finally:
        default_storage.delete(name)


def queue():
    """How long the oldest job ready to run has waited: a queue nobody works grows old."""
    oldest = DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    waited = (timezone.now() - oldest).total_seconds() if oldest else 0
    return {"ok": waited <= settings.HEALTH_QUEUE_MAX_WAIT_SECONDS, "oldest_waiting_seconds": round(waited)}


def checked():
    """({check: outcome}, whether all are well)."""
    checks = {check.__name__: _timed(check) for check in (database, storage, queue)}
    return checks, all(outcome["ok"] for outcome in checks.values())
