"""Requests per second and CPU per request of the Spanish pages against the vanilla floor.

The vanilla floor is bench/vanilla/floor.py: a one-file Django project with startproject's
middleware, on the same gunicorn settings (2 sync workers) and the same Django, running beside
the site in the same run. Rounds alternate floor and page, F P1 F P2 F ... F, and each page
round is divided by the mean of the floor rounds either side of it, so a shared machine's
drift cancels; BENCH_PAIRS such passes (default 4) give a median and a spread (min-max).

Each page is measured five ways:
- cached: a page-cache hit;
- cold, unchanged: page cache off, every visit runs the view, as after a staff save that changed
  something else; the page, kept by its content (outreach/fragments.py), is not rendered again;
- cold, changed: the page is rendered (KEEP_RENDERED=pieces), as after a save that changed it;
  the pieces that did not change (cards, days, header, footer, the blank reminder form) are
  reused;
- first render: nothing kept (KEEP_RENDERED=none), as in a process that just started;
- saved every 1 s: the page cache on while another process saves the measured meeting (its
  title) every BENCH_SAVE_SECONDS, as staff do through the admin: every save makes every page
  stale, and the saving process renders the changed pages again (outreach/prerender.py; its
  CPU is not in the CPU figure, it shares the cores).
Two figures per page:
- req/s ratio, wrk on loopback (Debian: `apt-get install wrk`): what the goal is stated in.
- CPU ratio: floor CPU per request / page CPU per request, the user+system time of the gunicorn
  workers (from /proc) over the requests they answered. Steadier than req/s on a busy machine;
  it leaves out what Redis and PostgreSQL spend in their own processes.
The in-stack floor (/bench/floor, a bare view behind all our middleware) is measured the same
way, and every page is also given as a ratio of it: the difference is our middleware's cost.

Then the first visit after a staff save, one request at a time (what the crowd meets right
after staff correct a meeting): BENCH_FIRST_VISITS times (default 40), another process saves
the meeting's title (bench/stack.py saver, as the admin would), then the page is asked for
once and the vanilla floor once, with the pages rendered by the save (RENDER_PAGES_ON_SAVE,
outreach/prerender.py) and without, in one run: median latency, and the floor's over the
page's.

Standalone: `python bench/http_floor.py` (it builds its own stack: bench/stack.py).
WRK_ARGS overrides the load (default `-t2 -c16 -d5s`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean, median
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.stack import Server

GOAL_CACHED, GOAL_COLD = 0.9, 0.3
WRK_ARGS = os.environ.get("WRK_ARGS", "-t2 -c16 -d5s").split()
SETTLE_SECONDS = 1.0
PAIRS = int(os.environ.get("BENCH_PAIRS", "4"))
SAVE_SECONDS = float(os.environ.get("BENCH_SAVE_SECONDS", "1"))
FIRST_VISITS = int(os.environ.get("BENCH_FIRST_VISITS", "40"))
WARM_UP = ["-t1", "-c4", "-d1s"]
IN_STACK_FLOOR = "in-stack floor"
INSTALL_HINT = (
    "wrk is not installed. On Debian or Ubuntu: sudo apt-get install -y wrk "
    "(macOS: brew install wrk). Then run `make bench` again."
)


@dataclass
class Round:
    rps: float
    cpu_ms: float  # worker CPU per request
    errors: int


@dataclass
class Target:
    name: str
    server: Server
    path: str
    cold: bool = False
    saves: list[str] | None = None  # a command that saves the page's meeting during each round
    rounds: list[Round] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)  # req/s against the vanilla floor
    cpu_ratios: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return median(self.ratios)

    @property
    def cpu_ratio(self) -> float:
        return median(self.cpu_ratios)


def parse_wrk(output: str) -> tuple[float, int, int]:
    """Requests per second, requests answered, and errors (non-2xx/3xx, socket) from wrk."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    done = int(re.search(r"(\d+) requests in", output).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket:
        errors += sum(int(n) for n in socket.groups())
    return rps, done, errors


def wrk(url: str, args: list[str]) -> str:
    """Run wrk against `url` as a Spanish-speaking phone would ask for it (no cookies)."""
    command = ["wrk", *args, "--timeout", "10s", "-H", "Accept-Language: es", url]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603


def one_round(server: Server, path: str) -> Round:
    """One wrk run; CPU is read after the requests still queued in gunicorn have finished."""
    cpu_before = server.cpu_seconds()
    rps, done, errors = parse_wrk(wrk(server.base_url + path, WRK_ARGS))
    time.sleep(SETTLE_SECONDS)
    cpu = server.cpu_seconds() - cpu_before
    return Round(rps, cpu * 1000 / max(done, 1), errors)


def saving_round(target: Target) -> Round:
    """One round while staff save the page's meeting every SAVE_SECONDS (bench/stack.py saves)."""
    saver = subprocess.Popen(target.saves, stdout=subprocess.PIPE, text=True)  # noqa: S603
    try:
        assert saver.stdout is not None
        saver.stdout.readline()  # "saving": Django is set up, the first save is done
        return one_round(target.server, target.path)
    finally:
        saver.terminate()
        saver.wait(timeout=30)


def measure(vanilla: Server, targets: list[Target]) -> list[Round]:
    """PAIRS passes of F T1 F T2 ... F; fills each target's ratios, returns the floor rounds."""
    wrk(vanilla.base_url + "/floor", WARM_UP)
    for target in targets:
        wrk(target.server.base_url + target.path, WARM_UP)  # imports, templates, cache filled
    floors: list[Round] = []
    for _ in range(PAIRS):
        before = one_round(vanilla, "/floor")
        floors.append(before)
        for target in targets:
            page = saving_round(target) if target.saves else one_round(target.server, target.path)
            after = one_round(vanilla, "/floor")
            floors.append(after)
            target.rounds.append(page)
            target.ratios.append(page.rps / mean([before.rps, after.rps]))
            target.cpu_ratios.append(mean([before.cpu_ms, after.cpu_ms]) / page.cpu_ms)
            before = after
    return floors


def report(title: str, floors: list[Round], targets: list[Target]) -> list[str]:
    """Printable lines: each page's median ratios against the vanilla and in-stack floors."""
    in_stack = next((t for t in targets if t.name == IN_STACK_FLOOR), None)
    lines = [
        title,
        f"  {'page':<36} {'req/s':>6} {'CPU ms':>6}  {'vs vanilla':>10} {'spread':>11}"
        f"  {'CPU ratio':>9}  {'vs in-stack':>11}",
        f"  {'vanilla floor':<36} {median(r.rps for r in floors):>6.0f} "
        f"{median(r.cpu_ms for r in floors):>6.2f}  {1:>10.2f} {'':>11}  {1:>9.2f}",
    ]
    for t in targets:
        spread = f"{min(t.ratios):.2f}-{max(t.ratios):.2f}"
        versus = "" if in_stack is None else f"{t.ratio / in_stack.ratio:>11.2f}"
        failed = sum(r.errors for r in t.rounds)
        errors = f"  {failed} ERRORS" if failed else ""
        lines.append(
            f"  {t.name:<36} {median(r.rps for r in t.rounds):>6.0f} "
            f"{median(r.cpu_ms for r in t.rounds):>6.2f}  {t.ratio:>10.2f} {spread:>11}"
            f"  {t.cpu_ratio:>9.2f}  {versus}{errors}"
        )
    for goal, cold in ((GOAL_CACHED, False), (GOAL_COLD, True)):
        pages = [t for t in targets if t.cold == cold and t.name != IN_STACK_FLOOR]
        if pages:
            worst = min(pages, key=lambda t: t.ratio)
            verdict = "met" if worst.ratio >= goal else "NOT met"
            kind = "cold" if cold else "cached"
            lines.append(
                f"  Goal {goal} of the vanilla floor, {kind}: {verdict} (worst: {worst.name} "
                f"{worst.ratio:.2f}, CPU {min(t.cpu_ratio for t in pages):.2f})."
            )
    return lines


def timed_get(url: str) -> tuple[float, str]:
    """Milliseconds for one GET on a new connection, and the page cache's answer."""
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
        response.read()
        state = response.headers.get("X-Page-Cache") or "-"
    return (time.perf_counter() - started) * 1000, state


def first_visits(stack, vanilla: Server, cached: Server, pages: dict[str, str]) -> list[str]:
    """The first visit after each of BENCH_FIRST_VISITS saves, rendered by the save or not.

    The saves come from another process (bench/stack.py saver), as staff's from the admin.
    """
    lines = [
        f"  First visit after a staff save ({FIRST_VISITS} saves each, one request at a time,"
        " median latency):",
        f"  {'page':<36} {'rendered by':<12} {'ms':>6} {'floor ms':>8} {'vs vanilla':>10}"
        "  answered",
    ]
    saver = subprocess.Popen(  # noqa: S603
        stack.saver_command(pages["/es/ meeting page"]),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert saver.stdin is not None and saver.stdout is not None
    try:
        saver.stdout.readline()  # "ready": Django is set up
        for name, path in pages.items():
            for by in ("the save", "the visitor"):
                page_ms, floor_ms, states = [], [], Counter()
                for _ in range(FIRST_VISITS):
                    saver.stdin.write("render\n" if by == "the save" else "visitor\n")
                    saver.stdin.flush()
                    saver.stdout.readline()  # "saved": committed, and rendered if asked
                    ms, state = timed_get(cached.base_url + path)
                    page_ms.append(ms)
                    states[state] += 1
                    floor_ms.append(timed_get(vanilla.base_url + "/floor")[0])
                    time.sleep(0.05)
                answered = ", ".join(f"{n} {state}" for state, n in states.most_common())
                lines.append(
                    f"  {name:<36} {by:<12} {median(page_ms):>6.2f} {median(floor_ms):>8.2f}"
                    f" {median(floor_ms) / median(page_ms):>10.2f}  {answered}"
                )
    finally:
        saver.stdin.close()
        saver.wait(timeout=30)
    return lines


def header() -> str:
    from bench.stack import WORKERS

    return (
        f"wrk {' '.join(WRK_ARGS)}, rounds alternating vanilla floor / page, {PAIRS} passes "
        f"(median, spread min-max), gunicorn {WORKERS} sync workers each, loopback, "
        "Accept-Language: es, no cookies (every request is a first visit)"
    )


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def run_stack(stack, title: str, pages: dict[str, str]) -> list[str]:
    """Cached and cold pages of one stack (and its in-stack floor) against the vanilla floor."""
    from bench.urls import FLOOR_PATH

    lines = []
    with (
        stack.vanilla_server() as vanilla,
        stack.site_server(page_cache=True) as cached,
        stack.site_server(page_cache=False) as cold,
        stack.site_server(page_cache=False, keep_rendered="pieces") as changed,
        stack.site_server(page_cache=False, keep_rendered="none") as rendered,
    ):
        targets = [Target(IN_STACK_FLOOR, cached, "/" + FLOOR_PATH)]
        for kind, server in (
            ("cached", cached),
            ("cold, unchanged", cold),
            ("cold, changed", changed),
            ("first render", rendered),
        ):
            targets += [
                Target(f"{name}, {kind}", server, path, cold=server is not cached)
                for name, path in pages.items()
            ]
        # What a visitor gets while staff keep changing this very page: cached, and each save
        # makes the next visit in each process render it (only its changed card or page).
        saves = stack.saves_command(pages["/es/ meeting page"])
        targets += [
            Target(f"{name}, saved every {SAVE_SECONDS:g} s", cached, path, saves=saves)
            for name, path in pages.items()
        ]
        load_before = load()
        floors = measure(vanilla, targets)
        lines += report(f"{title} (load average {load_before} -> {load()}):", floors, targets)
        lines += first_visits(stack, vanilla, cached, pages)
    for line in lines:
        print(line, flush=True)
    return lines


def pages_to_measure(meeting_path: str) -> dict[str, str]:
    return {"/es/ upcoming": "/es/", "/es/ meeting page": meeting_path}


def main() -> int:
    if shutil.which("wrk") is None:
        print(INSTALL_HINT, file=sys.stderr)
        return 2
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.stack import HISTORY, UPCOMING_COUNTS, Stack, a_meeting_path

    print(header(), flush=True)
    with Stack() as stack:
        for upcoming in UPCOMING_COUNTS:
            stack.reload_meetings(HISTORY + upcoming, upcoming)
            title = f"PostgreSQL + Redis, {upcoming} upcoming meetings"
            run_stack(stack, title, pages_to_measure(a_meeting_path("es")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
