"""Spanish is complete: no empty or fuzzy entry, and the committed .mo says what the .po says."""

import re
from pathlib import Path

import polib
from django.conf import settings

PO_FILES = sorted(Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/*.po"))


def test_there_is_a_spanish_catalogue():
    assert any(path.parts[-3] == "es" for path in PO_FILES)


def test_every_spanish_entry_is_translated_and_not_fuzzy():
    for path in PO_FILES:
        po = polib.pofile(str(path))
        problems = [e.msgid for e in po if not e.obsolete and (not e.translated() or e.fuzzy)]
        assert problems == [], f"{path}: untranslated or fuzzy: {problems}"


def test_plural_entries_fill_every_form_the_language_has():
    # Spanish has three forms in Django's catalogue (1, millions, other): a missing third form
    # shows English for every count above one.
    for path in PO_FILES:
        po = polib.pofile(str(path))
        forms = int(re.search(r"nplurals=(\d+)", po.metadata["Plural-Forms"]).group(1))
        short = [
            e.msgid
            for e in po
            if e.msgid_plural
            and not e.obsolete
            and sorted(i for i, text in e.msgstr_plural.items() if text) != list(range(forms))
        ]
        assert short == [], f"{path}: plural entries missing a form: {short}"


def test_compiled_catalogue_matches_its_source():
    for path in PO_FILES:
        po = polib.pofile(str(path))
        mo = polib.mofile(str(path.with_suffix(".mo")))
        compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in mo}
        for entry in po.translated_entries():
            assert compiled.get((entry.msgctxt, entry.msgid)) == (
                entry.msgstr,
                entry.msgstr_plural,
            ), f"{path}: {entry.msgid!r} differs in the .mo; run `make messages`"
