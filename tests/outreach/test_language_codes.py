"""Languages are configuration: no code or template outside settings and the language files
names a language code. A department adds a language with LANGUAGES=… and its catalogue, not a
developer hunting for "es" and "en" in the code."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ["meetings", "outreach", "reminders", "templates"]
CODES = "es|en|vi|ar"
# A code as a string ("es", 'en'), a column or key suffixed with one (title_es, sms_en,
# DEPARTMENT_NAME_EN is settings' own), or a template comparing or writing one (lang="en").
PATTERNS = [
    re.compile(rf"""(?<![\w-])["']({CODES})["']"""),
    re.compile(rf"""\b[a-z][a-z0-9]*_({CODES})\b"""),
    re.compile(rf"""\b(lang|hreflang)=["']?({CODES})\b"""),
]

# The language files: the one source of the language set, and what each language's own
# module says about itself.
LANGUAGE_FILES = {
    "outreach/settings.py",
    "outreach/languages.py",
    # Django's format modules, one folder per language (outreach/formats/<code>/formats.py).
    "outreach/formats/",
    # The demo series' text in each shipped language (seed_demo).
    "meetings/demo_text.py",
    # Languages *spoken at a meeting* (an interpreter's languages), not the site's languages.
    "meetings/enums.py",
}
# Files excused while another change is in flight (empty: every file is held to it).
ALLOWED_FOR_NOW: set[str] = set()


def _scanned_files() -> list[Path]:
    files = []
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*")):
            if path.suffix not in {".py", ".html", ".txt"} or "migrations" in path.parts:
                continue
            files.append(path)
    return files


def _excused(relative: str) -> bool:
    return any(
        relative == name or (name.endswith("/") and relative.startswith(name))
        for name in LANGUAGE_FILES | ALLOWED_FOR_NOW
    )


def language_code_literals(text: str) -> list[str]:
    """Each line naming a language code, with its number."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if any(pattern.search(line) for pattern in PATTERNS):
            found.append(f"{number}: {line.strip()}")
    return found


def test_the_scanner_finds_each_way_code_names_a_language():
    assert language_code_literals('language = "es"')
    assert language_code_literals("for code in ('es', 'en'):")
    assert language_code_literals("counts.sms_en")
    assert language_code_literals('{% if code == "vi" %}')
    assert language_code_literals('<code lang="ar">')
    assert language_code_literals("title_es=TITLE")
    assert not language_code_literals('path = "es/"\nnames = "Ghanaians"')
    assert not language_code_literals("for code in languages.codes():")


def test_no_code_or_template_names_a_language_code():
    offenders = {}
    for path in _scanned_files():
        relative = path.relative_to(ROOT).as_posix()
        if _excused(relative):
            continue
        lines = language_code_literals(path.read_text(encoding="utf-8"))
        if lines:
            offenders[relative] = lines
    assert not offenders, (
        "Language codes belong in settings.LANGUAGES; ask outreach/languages.py instead:\n"
        + "\n".join(f"{name}:\n  " + "\n  ".join(lines) for name, lines in offenders.items())
    )


def test_the_allow_list_names_only_files_that_exist():
    for name in LANGUAGE_FILES | ALLOWED_FOR_NOW:
        assert (ROOT / name).exists(), name
