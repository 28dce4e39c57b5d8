"""`make bench`, the part that needs the production-like stack (bench/stack.py), in one run.

Prints the machine, then: requests per second and latency against the Django floor with the
page cache on and off (bench/http_floor.py), the weight and first-visit requests of every
public page (bench/first_visit.py), and Lighthouse scores (bench/lighthouse.py). Each of those
also runs alone. Needs PostgreSQL and Redis on 127.0.0.1 (BENCH_POSTGRES_URL, BENCH_REDIS_URL)
and wrk; everything it starts is stopped, and its database is dropped on the next run.
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

from bench import cpu_cost, first_visit, http_floor, lighthouse  # noqa: E402
from bench.stack import MEETINGS, Stack, a_meeting_path  # noqa: E402


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


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> int:
    if shutil.which("wrk") is None:
        print(http_floor.INSTALL_HINT, file=sys.stderr)
        return 2
    print(f"Machine: {machine()}", flush=True)
    print(f"Load average before: {load()} (other work on the machine skews req/s)", flush=True)
    with Stack() as stack:
        from bench.urls import FLOOR_PATH  # needs Django set up, as Stack does

        print(f"Database {stack.env['DATABASE_URL']}: {MEETINGS} meetings loaded.", flush=True)
        pages = {"/es/ upcoming": "/es/", "/es/ meeting page": a_meeting_path("es")}
        http_floor.run(stack, pages)
        cpu_cost.run(pages, "/" + FLOOR_PATH)
        with stack.serve(page_cache=True) as base_url:
            first_visit.run(base_url)
            print(f"Load average after: {load()}", flush=True)
            lighthouse.run(
                base_url, {"/es/ upcoming": "/es/", "/es/ meeting": pages["/es/ meeting page"]}
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
