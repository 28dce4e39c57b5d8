"""Lighthouse accessibility, best-practices and SEO scores: Spanish upcoming and meeting pages.

Lighthouse (npm) is installed once into .cache/lighthouse (`npm install --prefix
.cache/lighthouse lighthouse`, done here when missing) and drives Debian's Chromium
(CHROME_PATH, default /usr/bin/chromium) headless and offline. The goal is 100 in each
category; below that, the failing audits are printed with their ids and titles.

Standalone: `python bench/lighthouse.py` (it builds its own stack: bench/stack.py).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PREFIX = ROOT / ".cache" / "lighthouse"
CLI = PREFIX / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ("accessibility", "best-practices", "seo")
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)


def missing_tools() -> str | None:
    """Why Lighthouse cannot run here (with how to fix it), or None; installs it if npm can."""
    if not Path(CHROME).exists():
        return f"no Chromium at {CHROME}: sudo apt-get install -y chromium (or set CHROME_PATH)."
    if shutil.which("npm") is None:
        return "npm not found: sudo apt-get install -y nodejs npm."
    if not CLI.exists():
        print(f"Installing Lighthouse into {PREFIX} (once) ...", flush=True)
        PREFIX.mkdir(parents=True, exist_ok=True)
        command = [
            "npm",
            "install",
            "--prefix",
            str(PREFIX),
            "--no-audit",
            "--no-fund",
            "lighthouse",
        ]
        if subprocess.run(command, check=False).returncode != 0:  # noqa: S603
            return "npm could not install lighthouse (see its output above)."
    return None


def audit(url: str) -> dict:
    """Lighthouse's JSON report of one page (only the three categories we score)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        command = [
            str(CLI),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
        ]
        env = dict(os.environ, CHROME_PATH=CHROME)
        subprocess.run(command, check=True, env=env, timeout=180)  # noqa: S603
        return json.loads(out.read_text())


def failing(report: dict, category: str) -> list[tuple[str, str, list[str]]]:
    """(id, title, a few details) of the scored audits of `category` that did not pass."""
    audits = report["audits"]
    return [
        (ref["id"], audits[ref["id"]]["title"], details(audits[ref["id"]]))
        for ref in report["categories"][category]["auditRefs"]
        if ref.get("weight", 0) > 0
        and audits[ref["id"]].get("score") is not None
        and audits[ref["id"]]["score"] < 1
    ]


def details(audit_result: dict, limit: int = 3) -> list[str]:
    """What the audit found, briefly: console messages, URLs or element snippets."""
    items = (audit_result.get("details") or {}).get("items") or []
    found = []
    for item in items[:limit]:
        node = item.get("node") or {}
        text = item.get("description") or node.get("snippet") or item.get("url") or ""
        source = item.get("sourceLocation", {}).get("url") or item.get("url") or ""
        found.append(f"{text} {source if source != text else ''}".strip()[:160])
    return found


def run(base_url: str, pages: dict[str, str]) -> list[str]:
    """Scores of each page, printed; returns the lines (for the README)."""
    problem = missing_tools()
    if problem:
        print(f"Lighthouse skipped: {problem}", flush=True)
        return [f"Lighthouse skipped: {problem}"]
    lines = [f"Lighthouse {version()} (Chromium headless, mobile), scores out of 100; goal 100:"]
    for name, path in pages.items():
        report = audit(base_url + path)
        scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
        lines.append(f"  {name:<20} " + "  ".join(f"{c} {s}" for c, s in scores.items()))
        for category in CATEGORIES:
            for audit_id, title, found in failing(report, category):
                lines.append(f"    failing ({category}): {audit_id}: {title}")
                lines += [f"      - {text}" for text in found]
    for line in lines:
        print(line, flush=True)
    return lines


def version() -> str:
    done = subprocess.run([str(CLI), "--version"], capture_output=True, text=True, check=False)  # noqa: S603
    return done.stdout.strip()


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from bench.stack import Stack, a_meeting_path

    with Stack() as stack, stack.serve(page_cache=True) as base_url:
        run(base_url, {"/es/ upcoming": "/es/", "/es/ meeting": a_meeting_path("es")})
    return 0


if __name__ == "__main__":
    sys.exit(main())
