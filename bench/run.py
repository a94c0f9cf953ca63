"""make bench: how fast our reports are, against the naive floor, measured in one run.

Builds (once) a network of 1,000 benchmark services on its own SQLite database under var/bench/:
the demo network, plus 1,000 services whose reviews of this year are final with agreed ratings,
and 100 of which also have a closed review from last year. Then, as medians of repetitions:

- the service report from database to PDF bytes, first render (cache cleared) and repeat download;
- the web report page's repeat view (through Django's test client, as an administrator);
- the network report for 100 services (last year) and for 1,000 services (this year);
- ../shared/bench/floor_report.py service, and network --services 1000 (the naive way). The floor's
  own functions run in this process, each repetition right after ours, so that both meet the same
  machine: on a shared machine, speed drifts over a minute more than the difference we measure;
- the peak memory of a process that renders one service report.

The last line printed is one JSON object with the figures and the ratios.
"""

import argparse
import importlib.util
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
FLOOR = Path(os.environ.get("FLOOR_REPORT", ROOT.parent / "shared" / "bench" / "floor_report.py"))
SERVICES = 1000
LAST_YEAR_SERVICES = 100


def setup_django():
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assurance.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}"
    os.environ["ASSURANCE_MEDIA_ROOT"] = str(BENCH_DIR / "media")
    os.environ.setdefault("MPLCONFIGDIR", str(BENCH_DIR / "matplotlib"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def median_time(function, repetitions, before=None):
    times = []
    for _ in range(repetitions):
        if before:
            before()
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def build_network():
    """The demo network plus SERVICES benchmark services with settled reviews (idempotent)."""
    from django.core.management import call_command

    from bench.network import ensure_benchmark_reviews

    call_command("migrate", verbosity=0)
    call_command("seed_demo", services=SERVICES, stdout=open(os.devnull, "w"))
    started = time.perf_counter()
    added = ensure_benchmark_reviews(SERVICES, LAST_YEAR_SERVICES)
    if added:
        print(f"Built {added} benchmark reviews in {time.perf_counter() - started:.1f} s")


def load_floor():
    """The naive floor script, imported as a module (its `once(kind, services)` runs one render)."""
    spec = importlib.util.spec_from_file_location("floor_report", FLOOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def interleaved(ours, floor, repetitions, before=None):
    """Median seconds of ours and of the floor, each repetition of ours followed by one of the floor."""
    ours_times, floor_times = [], []
    for _ in range(repetitions):
        if before:
            before()
        started = time.perf_counter()
        ours()
        ours_times.append(time.perf_counter() - started)
        floor_times.append(floor()["total"])
    return statistics.median(ours_times), statistics.median(floor_times)


def peak_rss_of_one_service_report(cycle_id):
    """Peak memory of a fresh process rendering one service report (ru_maxrss, in MB)."""
    output = subprocess.run(
        [sys.executable, __file__, "--rss-probe", str(cycle_id)], check=True, capture_output=True, text=True
    ).stdout
    return float(output.strip().splitlines()[-1])


def rss_probe(cycle_id):
    setup_django()
    from reviews.models import Cycle
    from reviews.reports.build import build_service_report

    build_service_report(Cycle.objects.get(pk=cycle_id))
    print(peak_memory_mb())


def peak_memory_mb():
    """This process's peak resident memory. VmHWM, not ru_maxrss: a child's ru_maxrss starts at its
    parent's size when forked (and the bench's parent is large), while VmHWM starts afresh at exec."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=5, help="repetitions of each timing (at least 5)")
    parser.add_argument("--rss-probe", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.rss_probe:
        return rss_probe(options.rss_probe)
    if not FLOOR.is_file():
        sys.exit(f"The naive floor script is not at {FLOOR}: set FLOOR_REPORT to its path.")
    setup_django()
    build_network()
    figures = measure(max(options.reps, 5))
    say(figures)
    print(json.dumps(figures))


def measure(repetitions):
    """Every figure, ours and the floor's, measured in this one run."""
    from django.utils import timezone

    from reviews.models import Cycle
    from standards.models import Edition

    edition = Edition.objects.get(framework__slug="relational-practice-standards", version="2026.1")
    cycle = Cycle.objects.get(service__slug="cedar-unit", edition=edition)
    floor = load_floor()
    figures = measure_service_report(cycle, floor, repetitions)
    figures |= measure_report_page(cycle, repetitions)
    figures |= measure_network_report(edition, timezone.localdate().year, floor, repetitions)
    figures["service_ratio"] = round(figures["service_cold_s"] / figures["floor_service_s"], 3)
    figures["network_ratio"] = round(figures["network_1000_s"] / figures["floor_network_1000_s"], 3)
    figures["service_peak_rss_mb"] = round(peak_rss_of_one_service_report(cycle.pk), 1)
    figures["repetitions"] = repetitions
    return figures


def measure_service_report(cycle, floor, repetitions):
    from django.core.cache import cache

    from assurance.models import User
    from reviews.models import Report
    from reviews.reports.services import draft_service_report, read_pdf

    admin = User.objects.get(username="admin")  # reads the whole report, as the floor's does

    def clear_cache():
        for report in Report.objects.filter(cycle=cycle, is_final=False):
            report.file.delete(save=False)
            report.delete()

    def download():
        return read_pdf(draft_service_report(cycle, reader=admin))

    download()  # warm up: imports, font caches, matplotlib
    floor.once("service", 1)
    service_cold, floor_service = interleaved(download, lambda: floor.once("service", 1), repetitions, before=clear_cache)
    # The same, with the cached network comparison (shared by every report of the edition) cleared too.
    service_uncached = median_time(download, repetitions, before=lambda: (clear_cache(), cache.clear()))
    service_cached = median_time(download, repetitions)
    download()
    return {
        "service_cold_s": round(service_cold, 3),
        "service_cached_s": round(service_cached, 4),
        "service_cold_network_uncached_s": round(service_uncached, 3),
        "floor_service_s": round(floor_service, 3),
        "service_pages": Report.objects.filter(cycle=cycle, is_final=False).first().pages,
    }


def measure_report_page(cycle, repetitions):
    """The web report page (reports:report): its first view after the cache is cleared, and the
    median of repeat views, which serve the data and charts cached for the reader's disclosure set."""
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    from assurance.models import User

    client = Client()
    client.force_login(User.objects.get(username="admin"))
    url = reverse("reports:report", args=[cycle.pk])

    def view():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    cache.clear()
    first = median_time(view, 1)
    repeat = median_time(view, max(repetitions, 20))
    return {"report_page_first_s": round(first, 3), "report_page_repeat_ms": round(repeat * 1000, 1)}


def measure_network_report(edition, this_year, floor, repetitions):
    from reviews.reports.build import build_network_report

    floor.once("network", 50)
    network_100 = median_time(lambda: build_network_report(edition, this_year - 1), repetitions)
    network_1000, floor_network = interleaved(
        lambda: build_network_report(edition, this_year), lambda: floor.once("network", SERVICES), repetitions
    )
    return {
        "network_100_s": round(network_100, 3),
        "network_1000_s": round(network_1000, 3),
        "floor_network_1000_s": round(floor_network, 3),
    }


def say(figures):
    print(f"Service report (Cedar Unit): {figures['service_cold_s']:.3f} s first render "
          f"({figures['service_cold_network_uncached_s']:.3f} s with the shared network comparison recomputed too), "
          f"{figures['service_cached_s'] * 1000:.1f} ms repeat download; the floor takes "
          f"{figures['floor_service_s']:.3f} s (ratio {figures['service_ratio']}, target ≤ 0.7)")
    print(f"Web report page (Cedar Unit): {figures['report_page_first_s']:.3f} s first view, "
          f"{figures['report_page_repeat_ms']:.1f} ms repeat view (target ≤ 50 ms)")
    print(f"Network report: {figures['network_100_s']:.3f} s for {LAST_YEAR_SERVICES} services, "
          f"{figures['network_1000_s']:.3f} s for {SERVICES}; the floor takes {figures['floor_network_1000_s']:.3f} s "
          f"(ratio {figures['network_ratio']}, target ≤ 0.5)")
    print(f"Peak memory rendering one service report: {figures['service_peak_rss_mb']:.0f} MB (target ≤ 300)")


if __name__ == "__main__":
    main()
