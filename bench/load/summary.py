"""The figures of a load run as one JSON object: locust's statistics per page and the lost writes.

    python bench/load/summary.py STATS_CSV LOST_WRITES_JSON --users 50 --duration 180

Exits 1 when a request failed or a write was lost.
"""

import argparse
import csv
import json
import sys


def pages_of(stats_csv):
    """(pages by name, the aggregated row) from locust's *_stats.csv."""
    pages, total = {}, None
    with open(stats_csv, newline="") as stream:
        for row in csv.DictReader(stream):
            if row["Name"] == "Aggregated":
                total = row
                continue
            name = row["Name"] if row["Name"] not in pages else f"{row['Type']} {row['Name']}"
            pages[name] = {"count": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                           "p50_ms": _number(row["50%"]), "p95_ms": _number(row["95%"])}
    return pages, total


def _number(text):
    try:
        return round(float(text))
    except ValueError:  # "N/A" when a page was never requested
        return None


def summary(stats_csv, lost, users, duration):
    pages, total = pages_of(stats_csv)
    slowest = max((page["p95_ms"] or 0 for page in pages.values()), default=0)
    return {
        "users": users,
        "duration_s": duration,
        "requests": int(total["Request Count"]) if total else 0,
        "rps": round(float(total["Requests/s"]), 1) if total else 0.0,
        "errors": int(total["Failure Count"]) if total else 0,
        "writes": lost["writes"],
        "lost_writes": lost["lost_writes"],
        "pages": pages,
        "slowest_p95_ms": slowest,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("stats_csv")
    parser.add_argument("lost_writes_json")
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--duration", type=int, required=True)
    parser.add_argument("--load-average", default="")
    parser.add_argument("--server-cpu", type=float, default=0.0, help="CPU seconds gunicorn used in the run")
    options = parser.parse_args()
    with open(options.lost_writes_json) as stream:
        lost = json.loads(stream.read().strip().splitlines()[-1])
    figures = summary(options.stats_csv, lost, options.users, options.duration)
    if options.load_average:
        figures["load_average"] = options.load_average
    if options.server_cpu and figures["requests"]:
        # What the app itself costs, whatever else the machine runs (PostgreSQL not included).
        figures["gunicorn_cpu_s"] = options.server_cpu
        figures["gunicorn_cpu_ms_per_request"] = round(1000 * options.server_cpu / figures["requests"], 1)
    print(json.dumps(figures))
    sys.exit(1 if figures["errors"] or figures["lost_writes"] or not figures["requests"] else 0)


if __name__ == "__main__":
    main()
