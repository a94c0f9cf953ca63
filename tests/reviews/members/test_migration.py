"""Members' answers from before questionnaires become one members' meeting's response per cycle."""

import importlib

from django.apps import apps

from reviews.members.models import Channel, MemberResponse
from reviews.selfassessment.models import Perspective, SelfRating
from tests.factories import CycleFactory, SelfRatingFactory, build_edition

migration = importlib.import_module("reviews.migrations.0008_member_answers_as_group_responses")


def test_old_member_answers_become_a_meetings_response_and_are_removed(personas):
    cycle = CycleFactory(service=personas.home, edition=build_edition(values=1, criteria_per_value=3))
    levels = cycle.edition.rating_levels
    met, partly, not_met = levels[-1], levels[1], levels[0]
    questions = list(cycle.edition.criteria.exclude(rated_by="staff").order_by("order"))
    SelfRatingFactory(cycle=cycle, criterion=questions[0], perspective=Perspective.MEMBERS, level=met,
                      narrative="We cook together on Fridays.", updated_by=personas.member)
    SelfRatingFactory(cycle=cycle, criterion=questions[1], perspective=Perspective.MEMBERS, level=not_met if len(levels) > 2 else partly)
    staff_answer = SelfRatingFactory(cycle=cycle, criterion=questions[1], perspective=Perspective.STAFF)

    migration.forwards(apps, None)

    response = MemberResponse.objects.get(cycle=cycle)
    assert response.channel == Channel.GROUP and response.group_size is None
    assert dict(response.answers.values_list("criterion_id", "answer")) == {questions[0].pk: "yes", questions[1].pk: "no"}
    assert "We cook together on Fridays." in response.anything_else
    assert list(SelfRating.objects.filter(cycle=cycle)) == [staff_answer]
