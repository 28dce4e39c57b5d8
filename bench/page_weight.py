"""Page weight of the Spanish upcoming page with the demo series: HTML plus the CSS (and any
script) it loads, uncompressed and gzipped. The goal is under 30 KB uncompressed.

Standalone: `python bench/page_weight.py` (or `make bench`). It uses a throwaway SQLite
database in a temporary folder, migrates it, loads `seed_demo` and renders the page with
Django's test client; nothing on disk outside the temporary folder changes.
"""

import gzip
import io
import os
import re
import sys
import tempfile
from pathlib import Path

BUDGET = 30 * 1024
ROOT = Path(__file__).resolve().parent.parent


def setup(workdir: Path) -> None:
    """Point Django at a fresh database and data folder, then start it."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "outreach.settings",
            "OUTREACH_ENV": "local",
            "DATA_DIR": str(workdir),
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "ALLOWED_HOSTS": "testserver,127.0.0.1",
            "PAGE_CACHE_SECONDS": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    for name in ("REDIS_URL", "SITE_URL"):
        os.environ.pop(name, None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())


def assets(html: str) -> list[tuple[str, bytes]]:
    """The stylesheets and scripts the page makes the browser load, read from our static files."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    urls = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    urls += re.findall(r'<script src="([^"]+)"', html)
    found = []
    for url in urls:
        path = finders.find(url.removeprefix(settings.STATIC_URL))
        found.append((url, Path(path).read_bytes()))
    return found


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        setup(Path(tmp))
        from django.test import Client

        from meetings.models import Meeting

        response = Client().get("/es/", HTTP_ACCEPT_LANGUAGE="es")
        assert response.status_code == 200, response.status_code
        html = response.content
        files = [("/es/ (HTML)", html), *assets(html.decode())]
        meetings = Meeting.objects.upcoming().count()

    print(f"Spanish upcoming page, demo data ({meetings} upcoming meetings):")
    for name, body in files:
        print(f"  {name:<28} {len(body):>7,} bytes   gzip {len(gzip.compress(body, 9)):>6,}")
    total = sum(len(body) for _, body in files)
    total_gz = sum(len(gzip.compress(body, 9)) for _, body in files)
    verdict = "within" if total <= BUDGET else "OVER"
    print(f"  {'total':<28} {total:>7,} bytes   gzip {total_gz:>6,}")
    print(f"Budget {BUDGET:,} bytes uncompressed: {verdict} ({total / BUDGET:.0%}).")
    return 0 if total <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
