"""A reader's copy of a report's data: what the disclosure policy lets this reader see, and
nothing else. Every PDF and the report page are built from such a copy, so a report is built for
its reader's disclosure set (and stored per set: see services.py)."""

import copy

from reviews.disclosure import Fact

# The flags of a criterion, and the fact each one tells of.
FLAG_FACTS = {
    "Reviewers disagreed": Fact.REVIEWER_SPREAD,
    "Self and peers differ": Fact.STAFF_RATINGS,
    "Members and peers differ": Fact.MEMBER_COUNTS,
}
VOICE_FACTS = {"staff": Fact.STAFF_RATINGS, "members": Fact.MEMBER_COUNTS, "agreed": Fact.AGREED_RATINGS}


def for_reader(data, disclosed):
    """A copy of a service report's data with only what `disclosed` allows."""
    data = copy.deepcopy(data)
    _fill_in_older(data)
    data["reader"] = disclosed.key
    data["shown"] = {voice: fact in disclosed for voice, fact in VOICE_FACTS.items()} | {
        "urgent": _urgent_shown(disclosed), "comments": Fact.REVIEWER_COMMENTS in disclosed,
    }
    visit = data["visit"]
    visit["date"] = visit["date"] if Fact.VISIT_PLAN in disclosed else None
    visit["team"] = visit["team"] if Fact.TEAM in disclosed else []
    for name, fact in (("decision", Fact.DECISION), ("network", Fact.NETWORK_COMPARISON)):
        if fact not in disclosed:
            data[name] = None
    if data["decision"] is not None and Fact.APPEAL not in disclosed:
        data["decision"]["appeal"] = None
    if data["decision"] is not None and Fact.FOLLOW_UP not in disclosed:
        data["decision"]["follow_up"] = None
    if Fact.AGREED_RATINGS not in disclosed:
        data["computed"] = None
        data["trend"] = []
    data["findings"] = _findings(data["findings"], disclosed)
    data["actions"] = [_action(action, disclosed) for action in data["actions"] if _action_shown(action, disclosed)]
    data["changes"] = [change for change in data.get("changes", []) if _change_shown(change, disclosed)]
    for row in data["by_value"]:
        for voice, fact in VOICE_FACTS.items():
            if voice in row and fact not in disclosed:
                row[voice] = None
    data["members"] = _members(data.get("members"), disclosed)
    for value in data["values"]:
        for criterion in value["criteria"]:
            _criterion(criterion, disclosed)
    return data


def _fill_in_older(data):
    """A final report's snapshot kept before the report said how many criteria were agreed, how a
    value's RAG reads, and where follow-ups stand: those worked out from what it kept."""
    computed = data.get("computed")
    if computed:
        for tally in [computed["overall"], *computed["tiers"], *computed["values"]]:
            tally.setdefault("agreed", tally["applicable"] + tally["not_applicable"])
            tally.setdefault("total", tally["agreed"] + tally["unrated"])
        for value in computed["values"]:
            value.setdefault("rag_label", "Not applicable" if value["rag"] == "none" else value["rag"].capitalize())
    if data.get("decision"):
        data["decision"].setdefault("follow_up", None)


def _urgent_shown(disclosed):
    """Which urgent concerns the reader sees: "all", those "escalated" to commissioners, or "none"."""
    if Fact.URGENT_CONCERNS in disclosed:
        return "all"
    return "escalated" if Fact.ESCALATED_URGENT_CONCERNS in disclosed else "none"


def _findings(findings, disclosed):
    shown = _urgent_shown(disclosed)
    if shown == "all":
        urgent = findings["urgent"]
    elif shown == "escalated":
        urgent = [finding for finding in findings["urgent"] if finding["escalated"]]
    else:
        urgent = []
    return {
        "strengths": findings["strengths"] if Fact.STRENGTHS in disclosed else [],
        "development": findings["development"] if Fact.DEVELOPMENT in disclosed else [],
        "urgent": urgent,
    }


def _action_shown(action, disclosed):
    return Fact.ACTIONS in disclosed or (action["carried"] and Fact.CARRIED_ACTIONS in disclosed)


def _action(action, disclosed):
    """A carried-over action this review's plan takes up again: as it was carried over, to a
    reader who sees only the carried-over actions, not this review's plan."""
    earlier = action.get("earlier")
    if earlier and Fact.ACTIONS not in disclosed:
        action.update(earlier)
    action.pop("earlier", None)
    return action


def _change_shown(change, disclosed):
    """A change after the draft report: to those who see changes, and of a finding only when the
    reader sees that finding (as _findings decides)."""
    if Fact.CHANGES not in disclosed:
        return False
    if change["finding"] is None:
        return Fact.AGREED_RATINGS in disclosed
    kind = change["finding"]["kind"]
    if kind == "urgent":
        shown = _urgent_shown(disclosed)
        return shown == "all" or (shown == "escalated" and change["finding"]["escalated"])
    return {"strength": Fact.STRENGTHS, "development": Fact.DEVELOPMENT}[kind] in disclosed


def _members(members, disclosed):
    """The members' part: how responses came in, the counts by value, the agreed quotes."""
    if members is None:  # a final report issued before members answered questionnaires
        return {"responses": None, "by_value": [], "quotes": []}
    return {
        "responses": members["responses"] if Fact.MEMBER_RESPONSES in disclosed else None,
        "by_value": members["by_value"] if Fact.MEMBER_COUNTS in disclosed else [],
        "quotes": members["quotes"] if Fact.MEMBER_QUOTES in disclosed else [],
    }


def _criterion(criterion, disclosed):
    """Keeps of one criterion's row what the reader may see."""
    answer = criterion["staff"]
    if answer is not None and Fact.STAFF_RATINGS not in disclosed:
        criterion["staff"] = None
    elif answer is not None:
        if Fact.STAFF_WORDS not in disclosed:
            answer["reason"] = answer["narrative"] = ""
        if Fact.STAFF_EVIDENCE not in disclosed:
            answer["evidence"] = []
    if Fact.MEMBER_COUNTS not in disclosed:
        criterion["member"] = None
    elif criterion["member"] is not None and "narrative" in criterion["member"]:
        # a final report issued before questionnaires kept a meeting's shared answer with its words
        criterion["member"] = {"shown": False, "n": None, "meetings": [], "level": criterion["member"]["label"]}
    if Fact.REVIEWER_SPREAD not in disclosed:
        criterion["reviewers"] = {"count": 0, "median": None, "low": None, "high": None, "abstained": 0}
    if Fact.REVIEWER_COMMENTS not in disclosed:
        criterion["comments"] = []
    if Fact.AGREED_RATINGS not in disclosed:
        criterion["agreed"] = None
    criterion["flags"] = [flag for flag in criterion["flags"] if FLAG_FACTS[flag] in disclosed]
