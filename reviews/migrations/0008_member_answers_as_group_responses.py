"""The members' answers from before questionnaires (one shared answer per criterion, saved by
whichever member saved last) become one members' meeting's response per cycle: shown as a group's
shared answer, never counted as single members'. What members wrote goes into the response's
free text, with the statement it was about. The old answers are then removed, so that no answer
of a member is linked to the person who saved it any longer."""

from django.db import migrations


def _answer(level_value, levels):
    if level_value == levels[-1]:
        return "yes"
    if level_value == levels[0]:
        return "no"
    return "sometimes"


def forwards(apps, schema_editor):
    SelfRating = apps.get_model("reviews", "SelfRating")
    MemberResponse = apps.get_model("reviews", "MemberResponse")
    MemberResponseAnswer = apps.get_model("reviews", "MemberResponseAnswer")
    RatingLevel = apps.get_model("standards", "RatingLevel")
    levels = {}
    for level in RatingLevel.objects.order_by("value"):
        levels.setdefault(level.edition_id, []).append(level.value)
    by_cycle = {}
    for rating in SelfRating.objects.filter(perspective="members").select_related("level", "criterion", "cycle"):
        by_cycle.setdefault(rating.cycle_id, []).append(rating)
    for ratings in by_cycle.values():
        cycle = ratings[0].cycle
        notes = [
            f"{r.criterion.statement}: {(r.narrative or r.not_applicable_reason).strip()}"
            for r in ratings if (r.narrative or r.not_applicable_reason).strip()
        ]
        response = MemberResponse.objects.create(
            cycle=cycle, channel="group", group_size=None, anything_else="\n\n".join(notes),
            received_on=max(r.updated_at for r in ratings).date(),
        )
        edition_levels = levels.get(cycle.edition_id, [])
        MemberResponseAnswer.objects.bulk_create(
            MemberResponseAnswer(response=response, criterion_id=r.criterion_id,
                                 answer=_answer(r.level.value, edition_levels) if r.level_id else "dont_know")
            for r in ratings if r.level_id or r.not_applicable
        )
    SelfRating.objects.filter(perspective="members").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0007_members_voice"),
        ("standards", "0002_members_questionnaire"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
