"""Time the network report over a school year: building it (the queries), printing the HTML body,
the coordinator's whole page (the view, as a request), and the PDF. Prints the median of N runs
after one warm-up run (imports, fonts, PostgreSQL's caches).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/village_bench20k \\
    .venv/bin/python benchmarks/report.py [--runs 3] [--from 2026-09-01 --to 2027-08-31] [--profile pdf]

Reads only: the page is requested through a RequestFactory with the demo coordinator set on the
request (no login, so no session or last-login is written). The database must hold the demo
network (`manage.py seed_demo --families 20000`) and be migrated.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "village.settings")

COORDINATOR = "coordinator@demo.village"


def timed(function, runs: int) -> tuple[float, list[float], float, object]:
    """Median wall time, each run's wall time, median CPU time of this process (what the Python
    side costs, whatever else the machine runs; PostgreSQL's own work is not in it), last result."""
    function()  # warm-up
    times, cpu, result = [], [], None
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = function()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(times), times, statistics.median(cpu), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--from", dest="start", help="first day (default: the current school year)")
    parser.add_argument("--to", dest="end", help="last day, included")
    parser.add_argument("--language", default="nl")
    parser.add_argument(
        "--profile", choices=["build", "html", "pdf"], help="print where the time of one step goes"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.signed_cookies import SessionStore
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from families.models import Family
    from reflection.report.indicators import build_report, default_period
    from reflection.report.render import render_html, render_pdf
    from reflection.report.views import report as report_view
    from village.models import User

    if args.start and args.end:
        start, end = datetime.date.fromisoformat(args.start), datetime.date.fromisoformat(args.end)
    else:
        start, end = default_period(timezone.localdate())
    coordinator = User.objects.get(email=COORDINATOR)

    def build():
        return build_report(start=start, end=end, language=args.language)

    def page():
        request = RequestFactory().get(
            "/reflection/report/",
            {"start": start.isoformat(), "end": end.isoformat(), "language": args.language},
        )
        request.user = coordinator
        request.session = SessionStore()
        request._messages = FallbackStorage(request)
        response = report_view(request)
        assert response.status_code == 200, response.status_code
        return response

    print(f"database:  {connection.settings_dict['NAME']} ({Family.objects.count()} families)")
    print(f"period:    {start} – {end}, language {args.language}, {args.runs} runs after a warm-up")

    with CaptureQueriesContext(connection) as queries:
        report = build()
    print(f"queries:   {len(queries)} to build the report ({len(report.tables())} tables)")
    slowest = sorted(queries.captured_queries, key=lambda query: -float(query["time"]))[:5]
    for query in slowest:
        print(f"           {float(query['time']):5.2f} s  {query['sql'][:150]}")

    if args.profile:
        step = {"build": build, "html": lambda: render_html(report), "pdf": lambda: render_pdf(report)}[
            args.profile
        ]
        step()
        profiler = cProfile.Profile()
        profiler.enable()
        step()
        profiler.disable()
        pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(25)
        return

    print(
        f"load:      {' '.join(f'{load:.1f}' for load in os.getloadavg())} (1, 5, 15 min) on {os.cpu_count()} CPUs"
    )
    steps = [
        ("build_report", build),
        ("render_html", lambda: render_html(report)),
        ("page (view: build + HTML)", page),
        ("render_pdf", lambda: render_pdf(report)),
        ("PDF (build + render)", lambda: render_pdf(build())),
    ]
    results = {}
    for name, step in steps:
        median, times, cpu, results[name] = timed(step, args.runs)
        runs = ", ".join(f"{t:.2f}" for t in times)
        print(f"{name:28} median {median:6.2f} s wall, {cpu:6.2f} s CPU   (runs: {runs})")
    response, pdf = results["page (view: build + HTML)"], results["render_pdf"]
    print(f"sizes:     page {len(response.content) / 1024:.0f} KiB, PDF {len(pdf) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
