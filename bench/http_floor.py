"""Requests per second and p50/p99 latency of the Spanish pages against the Django floor.

With wrk (Debian: `apt-get install wrk`) on loopback: the Spanish upcoming page, a Spanish
meeting page and `/bench/floor` (a view returning a short string, through the same
middleware, on the same gunicorn in the same run), with the page cache on, then off.
Each page's rate is printed as a ratio of the floor's. The goal: 0.8 with the cache on.

Standalone: `python bench/http_floor.py` (it builds its own stack: bench/stack.py).
WRK_ARGS overrides the load (default `-t2 -c16 -d5s`), BENCH_ROUNDS the rounds (3).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.stack import Stack

GOAL = 0.8
WRK_ARGS = os.environ.get("WRK_ARGS", "-t2 -c16 -d5s").split()
SETTLE_SECONDS = 1.5
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WARM_UP = ["-t1", "-c4", "-d2s"]
INSTALL_HINT = (
    "wrk is not installed. On Debian or Ubuntu: sudo apt-get install -y wrk "
    "(macOS: brew install wrk). Then run `make bench` again."
)
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


@dataclass
class Result:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    ratios: list[float] = field(default_factory=list)  # against the floor, one per round

    @property
    def ratio(self) -> float:
        return median(self.ratios) if self.ratios else 1.0


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def parse_wrk(name: str, output: str) -> Result:
    """wrk's --latency report as numbers (non-2xx answers and socket errors count as errors)."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket:
        errors += sum(int(n) for n in socket.groups())
    return Result(name, rps, p50, p99, errors)


def wrk(url: str, args: list[str]) -> str:
    """Run wrk against `url` as a Spanish-speaking phone would ask for it."""
    command = ["wrk", *args, "--latency", "--timeout", "10s", "-H", "Accept-Language: es", url]
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    # Requests wrk left in flight are still queued in gunicorn: let them finish, or the next
    # run (often the floor) would start behind them.
    time.sleep(SETTLE_SECONDS)
    return done.stdout


def measure(base_url: str, pages: dict[str, str], floor_path: str) -> list[Result]:
    """Each target warmed up, then ROUNDS rounds of floor, page, page; medians of the rounds.

    Rounds, rather than one long run each, because a shared machine's load drifts: each
    page's ratio is taken against the floor of its own round, a few seconds apart.
    """
    targets = {"floor (bare view)": floor_path, **pages}
    for path in targets.values():
        wrk(base_url + path, WARM_UP)  # cache filled, workers' imports and templates loaded
    rounds = {name: [] for name in targets}
    for _ in range(ROUNDS):
        for name, path in targets.items():
            rounds[name].append(parse_wrk(name, wrk(base_url + path, WRK_ARGS)))
    floors = rounds["floor (bare view)"]
    return [
        Result(
            name,
            median(r.rps for r in runs),
            median(r.p50_ms for r in runs),
            median(r.p99_ms for r in runs),
            sum(r.errors for r in runs),
            [r.rps / f.rps for r, f in zip(runs, floors, strict=True)],
        )
        for name, runs in rounds.items()
    ]


def report(title: str, results: list[Result]) -> list[str]:
    """Printable lines: one per page, its rate as a ratio of the floor's (range of the rounds)."""
    lines = [
        title,
        f"  {'page':<20} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'vs floor':>9}  rounds",
    ]
    for r in results:
        spread = "  ".join(f"{x:.2f}" for x in r.ratios)
        errors = f"   {r.errors} ERRORS" if r.errors else ""
        lines.append(
            f"  {r.name:<20} {r.rps:>7.0f} {r.p50_ms:>7.1f} {r.p99_ms:>7.1f} {r.ratio:>9.2f}"
            f"  {spread}{errors}"
        )
    return lines


def run(stack: Stack, pages: dict[str, str]) -> list[str]:
    """Both configurations on a built stack; returns the printed lines (for the README)."""
    from bench.stack import WORKERS
    from bench.urls import FLOOR_PATH

    lines = [
        f"wrk {' '.join(WRK_ARGS)} x {ROUNDS} rounds (medians), gunicorn {WORKERS} sync workers, "
        "loopback, Accept-Language: es, no cookies (every request is a first visit)"
    ]
    for page_cache in (True, False):
        with stack.serve(page_cache=page_cache) as base_url:
            results = measure(base_url, pages, "/" + FLOOR_PATH)
        title = f"Page cache {'on (normal)' if page_cache else 'off (PAGE_CACHE_SECONDS=0)'}:"
        lines += report(title, results)
        if page_cache:
            worst = min(r.ratio for r in results[1:])
            verdict = "met" if worst >= GOAL else "NOT met"
            lines.append(f"  Goal {GOAL} of the floor with the cache on: {verdict} ({worst:.2f}).")
    for line in lines:
        print(line, flush=True)
    return lines


def pages_to_measure() -> dict[str, str]:
    from bench.stack import a_meeting_path

    return {"/es/ upcoming": "/es/", "/es/ meeting page": a_meeting_path("es")}


def main() -> int:
    if shutil.which("wrk") is None:
        print(INSTALL_HINT, file=sys.stderr)
        return 2
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.stack import Stack

    with Stack() as stack:
        run(stack, pages_to_measure())
    return 0


if __name__ == "__main__":
    sys.exit(main())
