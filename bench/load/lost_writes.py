"""Counts the writes of a load run that the server accepted but the database does not hold.

    DATABASE_URL=... python bench/load/lost_writes.py WRITES.jsonl

Each line of WRITES is one accepted write, in the order it was made (bench/load/locustfile.py). Each
simulated person writes only their own work, so the last value written to a place must be the one
stored there. Prints {"writes": N, "lost_writes": N, "lost": [first few]} as JSON.
"""

import json
import sys
from pathlib import Path

from prepare import setup_django


def last_writes(path):
    """place → (the last value written there, the write), in the order written."""
    latest = {}
    for number, line in enumerate(Path(path).read_text().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            write = json.loads(line)
        except json.JSONDecodeError:
            sys.exit(f"{path}, line {number}: not JSON: {line[:80]}")
        latest[_place(write)] = write
    return latest


def _place(write):
    kind = write["kind"]
    if kind == "self_answer":
        return kind, write["cycle"], write["criterion"]
    if kind == "peer_rating":
        return kind, write["cycle"], write["username"], write["criterion"]
    if kind == "agreed_rating":
        return kind, write["cycle"], write["code"]
    return kind, write["cycle"], write["anything_else"]


def stored(write):
    """What the database holds where this write went (None when nothing is there)."""
    from reviews.members.models import MemberResponse
    from reviews.peer.models import AgreedRating, PeerRating
    from reviews.selfassessment.models import Perspective, SelfRating

    kind, cycle = write["kind"], write["cycle"]
    if kind == "self_answer":
        row = SelfRating.objects.filter(cycle=cycle, criterion=write["criterion"], perspective=Perspective.STAFF)
        return row.values_list("narrative", flat=True).first()
    if kind == "peer_rating":
        row = PeerRating.objects.filter(team_member__visit__cycle=cycle, team_member__user__username=write["username"],
                                        criterion=write["criterion"])
        return row.values_list("comment", flat=True).first()
    if kind == "agreed_rating":
        row = AgreedRating.objects.filter(cycle=cycle, criterion__code=write["code"])
        return row.values_list("rationale", flat=True).first()
    found = MemberResponse.objects.filter(cycle=cycle, anything_else=write["anything_else"]).exists()
    return write["anything_else"] if found else None


def written_value(write):
    return write.get("narrative") or write.get("comment") or write.get("rationale") or write.get("anything_else")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    latest = last_writes(sys.argv[1])
    setup_django()
    lost = [write for write in latest.values() if (stored(write) or "").strip() != written_value(write).strip()]
    writes = sum(1 for line in Path(sys.argv[1]).read_text().splitlines() if line.strip())
    print(json.dumps({"writes": writes, "places": len(latest), "lost_writes": len(lost), "lost": lost[:5]}))


if __name__ == "__main__":
    main()
