"""The network a load run needs, and the open work of each simulated person, written as a plan.

    DATABASE_URL=... python bench/load/prepare.py --users 50 --services 1000 --plan var/load/plan.json

Builds the demo network and `--services` benchmark services with settled reviews (bench/network.py),
then, for `--users` simulated people, work of their own so that their writes meet no one else's:

- staff and service leads: each a service of their own with an open self-assessment;
- members: each a member of one of those services, its questionnaire open;
- peer reviewers: each on the team of a visit whose other reviewers have submitted, their own
  ratings still to give;
- lead reviewers: each leading a visit where everyone has submitted, the ratings to agree;
- commissioners: each commissioning 50 benchmark services; the administrator is the demo's;
- the final reports these readers open: their data kept and charts drawn, as issuing each did;
- then the database vacuumed and analysed, as routine maintenance leaves it.

The plan (JSON) names each person's account and the cycles, steps and criteria they work on.
"""

import argparse
import itertools
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Simulated people per persona, as weights: who uses the site in a working day.
WEIGHTS = {"staff": 16, "reviewer": 10, "lead_reviewer": 6, "member": 10, "administrator": 4, "commissioner": 4}


def persona_counts(users):
    """How many of `users` simulated people each persona has: its share by weight, largest
    remainders first, and at least one of each when there are enough people."""
    total = sum(WEIGHTS.values())
    shares = {persona: users * weight / total for persona, weight in WEIGHTS.items()}
    counts = {persona: max(int(share), 1 if users >= len(WEIGHTS) else 0) for persona, share in shares.items()}
    by_remainder = sorted(WEIGHTS, key=lambda persona: shares[persona] - int(shares[persona]), reverse=True)
    for persona in itertools.islice(itertools.cycle(by_remainder), max(users - sum(counts.values()), 0)):
        counts[persona] += 1
    while sum(counts.values()) > users:  # the minimum of one each took more than the shares gave
        counts[max(counts, key=counts.get)] -= 1
    return counts


def pool_sizes(users):
    """Accounts to make per persona: one for each of its people, and one to spare."""
    return {persona: count + 1 for persona, count in persona_counts(users).items()}


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assurance.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build_network(services):
    from django.core.management import call_command

    from bench.network import ensure_benchmark_reviews

    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", services=services, stdout=quiet)
    ensure_benchmark_reviews(services, min(100, services // 10))


def settle_database():
    """On PostgreSQL, VACUUM ANALYZE what was just loaded, as a production database is after its
    routine maintenance: otherwise autovacuum works through the freshly loaded tables during the
    run, and the first reads of every page rewrite it, costing the run CPU no steady day costs."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--services", type=int, required=True)
    parser.add_argument("--plan", type=Path, required=True)
    options = parser.parse_args()
    if options.users < 1 or options.services < 10:
        sys.exit("--users must be 1 or more and --services 10 or more.")
    setup_django()
    build_network(options.services)
    from bench.load.work import keep_reports_as_issued, prepare_work

    plan = prepare_work(pool_sizes(options.users))
    drawn = keep_reports_as_issued(plan)
    settle_database()
    options.plan.parent.mkdir(parents=True, exist_ok=True)
    options.plan.write_text(json.dumps(plan, indent=1))
    counts = ", ".join(f"{len(plan[persona])} {persona}" for persona in WEIGHTS)
    print(f"Prepared the work of {counts}, and the data and charts of {drawn} final reports; plan in {options.plan}")


if __name__ == "__main__":
    main()
