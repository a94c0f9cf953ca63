"""/health/ for a load balancer: 200 while the database, the file storage and the task queue work,
503 as soon as one does not, without a session and without saying anything of the network."""

import datetime
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.db import DatabaseError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reviews.notices.tasks import send_due_notices

pytestmark = pytest.mark.django_db

URL = "/health/"


@pytest.fixture(autouse=True)
def _database_queue(settings, media_root):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def waiting_job(minutes):
    result = send_due_notices.enqueue(timezone.localdate().isoformat())
    DBTaskResult.objects.filter(pk=result.id).update(enqueued_at=timezone.now() - datetime.timedelta(minutes=minutes))


def test_a_healthy_host_answers_ok_to_anyone_without_signing_in(client):
    response = client.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True, "storage": True, "queue": True}
    assert "no-cache" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


def test_the_probe_leaves_no_file_behind(client):
    client.get(URL)

    assert default_storage.listdir("health")[1] == []


def test_a_queue_nobody_works_fails_once_its_oldest_job_has_waited_too_long(client, settings):
    settings.HEALTH_QUEUE_MAX_WAIT_SECONDS = 600
    waiting_job(minutes=5)
    assert client.get(URL).status_code == 200

    waiting_job(minutes=30)
    response = client.get(URL)

    assert response.status_code == 503
    assert response.json()["status"] == "failing"
    assert response.json()["checks"]["queue"] == {"ok": False, "oldest_waiting_seconds": 1800,
                                                   "ms": response.json()["checks"]["queue"]["ms"]}


def test_a_storage_that_cannot_be_written_fails_and_says_nothing_of_why(client, caplog):
    with mock.patch.object(default_storage, "save", side_effect=PermissionError("/srv/media is read-only")):
        response = client.get(URL)

    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["ok"] is False
    assert "read-only" not in response.content.decode()
    assert "read-only" in caplog.text


def test_a_database_that_does_not_answer_fails(client):
    with mock.patch("assurance.health.connection.cursor", side_effect=DatabaseError("server closed the connection")):
        response = client.get(URL)

    assert response.status_code == 503
    assert response.json()["checks"]["database"]["ok"] is False


def test_only_get_is_answered(client):
    assert client.post(URL).status_code == 405
