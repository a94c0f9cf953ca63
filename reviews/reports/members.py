"""The members' voice in a service report, as plain values: per criterion the counts (only where
the edition's minimum answered: below it no count at all is kept, so no page, PDF or export made
from the data can show one), per value the shares of Yes, Sometimes and No, how responses came
in, and the quotes the service agreed to. Never the free text."""

from reviews.members.models import MemberQuote
from reviews.members.queries import response_summary
from reviews.scoring import percentage

ANSWERS = ("yes", "sometimes", "no")
MEETING_ANSWERS = {"yes": "Yes", "sometimes": "Sometimes", "no": "No", "dont_know": "Don't know"}


def voice_data(voice, levels):
    """One criterion's members' voice: None where nobody answered."""
    if voice is None:
        return None
    tally = voice.tally
    counted = tally.shown
    return {
        "shown": counted,
        "n": tally.decided if counted else None,
        **{answer: getattr(tally, answer) if counted else None for answer in (*ANSWERS, "dont_know")},
        "shares": {answer: tally.share(answer) for answer in ANSWERS} if counted else None,
        "meetings": [{"size": size, "answer": MEETING_ANSWERS.get(answer, "")} for size, answer in voice.groups],
        "level": next((level.label for level in levels if level.value == voice.level), None),
    }


def by_value(values):
    """Per value, its member questions whose counts are shown, and the value's answers pooled
    over those questions (as shares): the data of the members' chart of each value."""
    rows = []
    for value in values:
        questions = [
            {"code": c["code"], "n": c["member"]["n"], **c["member"]["shares"]}
            for c in value["criteria"]
            if c["member"] and c["member"]["shown"]
        ]
        if not questions:
            continue
        pooled = {
            answer: sum(c["member"][answer] for c in value["criteria"] if c["member"] and c["member"]["shown"])
            for answer in ANSWERS
        }
        total = sum(pooled.values())
        rows.append({
            "code": value["code"],
            "name": value["name"],
            "questions": questions,
            "pooled": {answer: percentage(count, total) for answer, count in pooled.items()},
        })
    return rows


def members_data(cycle, values):
    """The members' part of the report (two queries)."""
    summary = response_summary(cycle)
    return {
        "by_value": by_value(values),
        "responses": {
            "individual": summary.individual,
            "online": summary.by_channel.get("account", 0),
            "session": summary.by_channel.get("session", 0),
            "paper": summary.by_channel.get("paper", 0),
            "meetings": summary.meetings,
            "stated": summary.stated,
            "rate": summary.rate,
        },
        "quotes": list(
            MemberQuote.objects.filter(cycle=cycle, agreed_at__isnull=False).order_by("agreed_at", "pk").values_list("text", flat=True)
        ),
    }
