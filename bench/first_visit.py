"""Weight of each public page and the requests a first visit makes, read from the running server.

For the upcoming, meeting and privacy pages in both languages: the HTML, the stylesheets,
scripts, icons and images it makes a browser load (and what those stylesheets load in turn),
uncompressed and gzip level 6 (what a proxy sends), plus a count of requests. When Playwright
and /usr/bin/chromium are installed, Chromium's own request log is counted too.

Standalone: `python bench/first_visit.py` (it builds its own stack: bench/stack.py).
"""

from __future__ import annotations

import gzip
import re
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

CHROMIUM = Path("/usr/bin/chromium")
LOADED_LINKS = {
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "preload",
    "modulepreload",
    "manifest",
}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


class Subresources(HTMLParser):
    """The URLs a browser fetches while loading the page (not links a visitor may follow)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.has_icon = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        rels = set(a.get("rel", "").lower().split())
        if tag == "link" and rels & LOADED_LINKS and a.get("href"):
            self.urls.append(a["href"])
            self.has_icon |= "icon" in rels
        elif tag in ("script", "img", "iframe", "audio", "video", "source") and a.get("src"):
            self.urls.append(a["src"])
        elif tag in ("img", "source") and a.get("srcset"):
            self.urls.append(a["srcset"].split(",")[0].split()[0])


@dataclass
class Page:
    name: str
    files: list[tuple[str, int, int]] = field(default_factory=list)  # url, bytes, gzip bytes
    requests: int = 0
    notes: list[str] = field(default_factory=list)
    browser_requests: int | None = None

    @property
    def total(self) -> int:
        return sum(size for _, size, _ in self.files)

    @property
    def total_gzip(self) -> int:
        return sum(size for _, _, size in self.files)


def fetch(url: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Language": "es"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:  # the browser downloads an error page too
        return error.code, error.read()


def weigh(base_url: str, name: str, path: str) -> Page:
    """Fetch the page and everything it makes a browser load, once each."""
    page = Page(name)
    status, html = fetch(base_url + path)
    assert status == 200, f"{path} answered {status}"
    page.files.append((path, len(html), len(gzip.compress(html, 6))))
    parser = Subresources()
    parser.feed(html.decode())
    queue = [urljoin(base_url + path, u) for u in parser.urls]
    if not parser.has_icon:  # browsers then ask for /favicon.ico by themselves
        queue.append(base_url + "/favicon.ico")
    seen: set[str] = set()
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        if not url.startswith(base_url):
            page.notes.append(f"third-party request: {url}")
            continue
        status, body = fetch(url)
        short = urlsplit(url).path
        if status != 200:
            page.notes.append(f"{short} answers {status}")
        page.files.append((short, len(body), len(gzip.compress(body, 6))))
        if short.endswith(".css"):
            css = body.decode(errors="replace")
            found = [m.group(1) or m.group(2) for m in CSS_URL.finditer(css)]
            queue += [urljoin(url, u) for u in found if not u.startswith("data:")]
    page.requests = 1 + len(seen)
    return page


def browser_counts(base_url: str, paths: dict[str, str]) -> dict[str, int] | None:
    """Requests Chromium makes on a first visit to each page, or None without Playwright."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not CHROMIUM.exists():
        return None
    counts = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        for name, path in paths.items():
            context = browser.new_context(locale="es-US")  # fresh: nothing cached
            seen: list[str] = []
            tab = context.new_page()
            tab.on("request", lambda request, seen=seen: seen.append(request.url))
            tab.goto(base_url + path, wait_until="load")
            counts[name] = len(seen)
            context.close()
        browser.close()
    return counts


def public_pages() -> dict[str, str]:
    from bench.stack import a_meeting_path

    return {
        "/es/ upcoming": "/es/",
        "/en/ upcoming": "/en/",
        "/es/ meeting": a_meeting_path("es"),
        "/en/ meeting": a_meeting_path("en"),
        "/es/ privacy": "/es/privacidad/",
        "/en/ privacy": "/en/privacy/",
    }


def report(pages: list[Page], upcoming: int) -> list[str]:
    """Printable lines: each page's weight and requests; the CSS/JS files once at the end."""
    lines = [
        f"Page weight with the bench data ({upcoming} upcoming meetings), bytes:",
        f"  {'page':<16} {'HTML':>8} {'HTML gz':>8} {'total':>8} {'total gz':>9} {'requests':>9}"
        + ("  (Chromium)" if pages[0].browser_requests is not None else ""),
    ]
    for page in pages:
        _, html, html_gz = page.files[0]
        browser = f"  ({page.browser_requests})" if page.browser_requests is not None else ""
        lines.append(
            f"  {page.name:<16} {html:>8,} {html_gz:>8,} {page.total:>8,} {page.total_gzip:>9,}"
            f" {page.requests:>9}{browser}"
        )
    assets = {url: (size, gz) for page in pages for url, size, gz in page.files[1:]}
    for url, (size, gz) in sorted(assets.items()):
        lines.append(f"    {url:<40} {size:>8,}  gzip {gz:>7,}")
    notes = sorted({note for page in pages for note in page.notes})
    lines += [f"  note: {note}" for note in notes]
    return lines


def run(base_url: str) -> list[str]:
    from meetings.models import Meeting

    paths = public_pages()
    upcoming = Meeting.objects.upcoming().count()  # before Playwright's event loop runs
    pages = [weigh(base_url, name, path) for name, path in paths.items()]
    counts = browser_counts(base_url, paths)
    if counts:
        for page in pages:
            page.browser_requests = counts[page.name]
    lines = report(pages, upcoming)
    for line in lines:
        print(line, flush=True)
    return lines


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.stack import Stack

    with Stack() as stack, stack.serve(page_cache=True) as base_url:
        run(base_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
