"""`make profile`: where a cold render and a cached hit of the public pages spend their time.

Builds a throwaway SQLite database in a temporary folder with the bench's meetings
(bench/stack.py: BENCH_UPCOMING still to come, default 50), then runs each page through
Django's full middleware stack with the test client under pyinstrument and prints the call
tree: first cold (the page cache off, so every request renders), then warm (cache on, a hit).
PROFILE_REPEAT sets the requests per page (default 100). Nothing outside the folder changes.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPEAT = int(os.environ.get("PROFILE_REPEAT", "100"))


def setup(workdir: Path) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "outreach.settings",
            "OUTREACH_ENV": "local",
            "DATA_DIR": str(workdir),
            "DATABASE_URL": f"sqlite:///{workdir / 'profile.sqlite3'}",
            "ALLOWED_HOSTS": "testserver,127.0.0.1",
            "LOG_LEVEL": "WARNING",
        }
    )
    for name in ("REDIS_URL", "SITE_URL"):
        os.environ.pop(name, None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from bench.stack import MEETINGS, UPCOMING, load_meetings

    call_command("migrate", verbosity=0, interactive=False, stdout=io.StringIO())
    call_command("createcachetable", verbosity=0)
    load_meetings(MEETINGS, UPCOMING)


def profile(title: str, path: str, page_cache_seconds: int) -> None:
    from django.test import Client, override_settings
    from pyinstrument import Profiler

    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    with override_settings(PAGE_CACHE_SECONDS=page_cache_seconds):
        assert client.get(path).status_code == 200  # imports, templates, cache filled
        profiler = Profiler(interval=0.0002)
        with profiler:
            for _ in range(REPEAT):
                client.cookies.clear()
                client.get(path)
    print(f"\n===== {title}: {path}, {REPEAT} requests =====")
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        setup(Path(tmp))
        from bench.stack import UPCOMING, a_meeting_path

        print(f"{UPCOMING} upcoming meetings (SQLite, database cache)")
        meeting = a_meeting_path("es")
        for title, seconds in (("cold (page cache off)", 0), ("cached hit", 300)):
            profile(title, "/es/", seconds)
            profile(title, meeting, seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
