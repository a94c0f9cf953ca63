"""Thirty members answering at once at one questionnaire session, each on their own device and
database connection, against a real PostgreSQL server: every response is kept."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from reviews.models import Channel, MemberResponse, MemberResponseAnswer
from tests.factories import CycleFactory, QuestionnaireSessionFactory
from tests.reviews.members.test_answering import questionnaire_edition

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

MEMBERS = 30
ANSWERS = ["yes", "sometimes", "no"]


def test_thirty_members_answering_at_once_are_all_kept(personas):
    cycle = CycleFactory(service=personas.home, edition=questionnaire_edition())
    session = QuestionnaireSessionFactory(cycle=cycle, code="TABLET30")
    safe = cycle.edition.criteria.get(easy_read="Do you feel safe here?")
    barrier = threading.Barrier(MEMBERS)
    statuses, errors = [None] * MEMBERS, []

    def member(index):
        device = Client(REMOTE_ADDR=f"10.1.0.{index + 1}")
        try:
            device.post(reverse("questionnaire:page", args=[session.code, 2]), {"next": "", f"q{safe.pk}": ANSWERS[index % 3]})
            device.post(reverse("questionnaire:page", args=[session.code, 3]), {"next": "", "anything_else": f"Note {index}"})
            barrier.wait(timeout=60)
            statuses[index] = device.post(reverse("questionnaire:check", args=[session.code]), {"send": ""}).status_code
        except Exception as error:  # noqa: BLE001 - reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=member, args=(i,)) for i in range(MEMBERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a member's answers did not finish"
    assert errors == []
    assert statuses == [302] * MEMBERS
    assert MemberResponse.objects.filter(cycle=cycle, channel=Channel.SESSION, session=session).count() == MEMBERS
    assert sorted(MemberResponse.objects.values_list("anything_else", flat=True)) == sorted(f"Note {i}" for i in range(MEMBERS))
    counted = {answer: MemberResponseAnswer.objects.filter(criterion=safe, answer=answer).count() for answer in ANSWERS}
    assert counted == {"yes": 10, "sometimes": 10, "no": 10}
