"""`make bench`, the part that needs the production-like stack (bench/stack.py), in one run.

Prints the machine, then requests per second and CPU per request against the vanilla floor
(bench/vanilla/floor.py), cached and cold (bench/http_floor.py): on the production-like stack
with 50 and 500 upcoming meetings (BENCH_UPCOMING), then on `make run`'s embedded default
(SQLite, no Redis; BENCH_EMBEDDED_UPCOMING); then the weight and first-visit requests of every
public page with the most meetings (bench/first_visit.py), and Lighthouse scores
(bench/lighthouse.py). Each of those also runs alone. Needs PostgreSQL and Redis on 127.0.0.1
(BENCH_POSTGRES_URL, BENCH_REDIS_URL) and wrk; everything it starts is stopped, and its
database is dropped on the next run.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import first_visit, http_floor, lighthouse  # noqa: E402
from bench.stack import HISTORY, UPCOMING_COUNTS, EmbeddedStack, Stack, a_meeting_path  # noqa: E402

EMBEDDED_COUNTS = [int(n) for n in os.environ.get("BENCH_EMBEDDED_UPCOMING", "50").split(",")]


def machine() -> str:
    """Date, CPU model, cores and memory, for the figures to be read against."""
    model = platform.processor() or "unknown CPU"
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout  # noqa: S607
    for line in lscpu.splitlines():
        if line.startswith("Model name:"):
            model = line.split(":", 1)[1].strip()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    python = platform.python_version()
    return f"{date.today()}, {model}, {os.cpu_count()} cores, {memory:.0f} GiB, Python {python}"


def main() -> int:
    if shutil.which("wrk") is None:
        print(http_floor.INSTALL_HINT, file=sys.stderr)
        return 2
    print(f"Machine: {machine()}", flush=True)
    print(f"Load average before: {http_floor.load()} (other work skews req/s)", flush=True)
    print(http_floor.header(), flush=True)
    with Stack() as stack:
        for upcoming in UPCOMING_COUNTS:
            stack.reload_meetings(HISTORY + upcoming, upcoming)
            title = f"PostgreSQL + Redis (production), {upcoming} upcoming meetings"
            http_floor.run_stack(stack, title, http_floor.pages_to_measure(a_meeting_path("es")))
        with EmbeddedStack() as embedded:
            for upcoming in EMBEDDED_COUNTS:
                meeting = embedded.load(HISTORY + upcoming, upcoming)
                title = f"Embedded default (`make run`: SQLite, no Redis), {upcoming} upcoming"
                http_floor.run_stack(embedded, title, http_floor.pages_to_measure(meeting))
        with stack.serve(page_cache=True) as base_url:
            print(f"Weight with {UPCOMING_COUNTS[-1]} upcoming meetings:", flush=True)
            first_visit.run(base_url)
            print(f"Load average after: {http_floor.load()}", flush=True)
            lighthouse.run(base_url, {"/es/ upcoming": "/es/", "/es/ meeting": a_meeting_path()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
