"""An outreach officer's audit of the series form, the CSV import and their previews (Rosa,
Spanish admin): errors she can find, previews that show what she will create."""

import pytest
from django.conf.locale import LANG_INFO
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext_lazy

from meetings.models import Meeting
from tests.factories import VenueFactory
from tests.meetings.test_series import EN, ES, SERIES, series_data

pytestmark = pytest.mark.django_db

IMPORT = "admin:meetings_meeting_import"
FOUR = ["es", "en", "vi", "ar"]  # the site's four languages, whatever LANGUAGES says
HEADER = "date,start,end,venue,title_en,title_es,description_en,description_es,published"


def csv_file(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("sessions.csv", text.encode("utf-8"), content_type="text/csv")


@pytest.mark.parametrize(
    ("headers", "summary", "line"),
    [
        (ES, "Corrija esto para ver la vista previa:", "Línea 2:"),
        (EN, "Please correct this to see the preview:", "Line 2:"),
    ],
)
def test_bad_dates_are_summarised_at_the_top_one_per_line_and_linked(
    frozen_now, staff_client, headers, summary, line
):
    data = series_data([VenueFactory()], dates="2027-02-03\nnext tuesday\n2027-02-03\n4 feb")
    response = staff_client.post(reverse(SERIES), data | {"_preview": "1"}, **headers)
    html = response.content.decode()
    # The form posts back to an address ending in the summary's id: the browser scrolls there.
    assert 'action="' + reverse(SERIES) + '#series-result"' in html
    top, form_rows = html.split('<fieldset class="module aligned">', 1)
    summary_block = top.split('id="series-result"')[1]
    assert summary in summary_block and 'href="#id_dates"' in summary_block
    # One error per line, each its own list item, in the summary and at the field.
    dates_errors = form_rows.split('<ul class="errorlist"', 1)[1].split("</ul>")[0]
    assert dates_errors.count("<li>") == 3 and line in dates_errors
    assert summary_block.count(line) == 1
    assert not Meeting.objects.exists()


def test_a_good_preview_is_where_the_page_lands(frozen_now, staff_client):
    data = series_data([VenueFactory()], dates="2027-02-03")
    html = staff_client.post(reverse(SERIES), data | {"_preview": "1"}, **ES).content.decode()
    assert 'action="' + reverse(SERIES) + '#series-result"' in html
    preview = html.split('id="series-result"')[1]
    assert "Vista previa" in preview.split("</h2>")[0]
    assert 'name="_confirm"' in preview


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (ES, ["Conozca a sus oficiales", "Recordatorios: 3 días · 1 día", "Publicada: sí"]),
        (EN, ["Meet your officers", "Reminders: 3 days · 1 day", "Published: yes"]),
    ],
)
def test_the_series_preview_shows_title_reminders_and_published(
    frozen_now, staff_client, headers, expected
):
    data = series_data(
        [VenueFactory()], dates="2027-02-03", reminder_offsets=["reminder_3d", "reminder_24h"]
    )
    html = staff_client.post(reverse(SERIES), data | {"_preview": "1"}, **headers).content.decode()
    preview = html.split('id="series-result"')[1]
    for text in expected:
        assert text in preview


@pytest.mark.parametrize(
    ("language", "expected", "typed"),
    [
        (
            "es",
            [
                "Recordatorios: 3 días · 1 día",
                "Recordatorios: 2 horas",
                "Publicada: sí",
                "Publicada: no",
                "Conózcanos",
            ],
            "Fila 4: «3 días» no se entiende; escriba 3d, 1d o 2h",
        ),
        (
            "en",
            [
                "Reminders: 3 days · 1 day",
                "Reminders: 2 hours",
                "Published: yes",
                "Published: no",
                "Meet us",
            ],
            "Row 4: “3 días” is not understood; write 3d, 1d or 2h",
        ),
    ],
)
def test_the_import_preview_shows_reminders_published_and_what_was_typed(
    frozen_now, staff_client, language, expected, typed
):
    VenueFactory(name="Familia Bethel")
    good = (
        HEADER
        + ",reminders\n"
        + (
            '2027-02-03,18:30,20:00,Familia Bethel,Meet us,Conózcanos,Talk,Charla,yes,"3d, 1d"\n'
            "2027-02-10,18:30,20:00,Familia Bethel,Meet us,Conózcanos,Talk,Charla,no,2h\n"
        )
    )
    html = staff_client.post(
        reverse(IMPORT), {"file": csv_file(good)}, HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    preview = html.split('id="import-preview"')[1]
    for text in expected:
        assert text in preview
    bad = good + "2027-02-17,18:30,20:00,Familia Bethel,Meet us,Conózcanos,Talk,Charla,no,3 días\n"
    html = staff_client.post(
        reverse(IMPORT), {"file": csv_file(bad)}, HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert typed in html
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("headers", "intro", "note"),
    [
        (ES, "en español, inglés, vietnamita y árabe", "Sin título en vietnamita y árabe"),
        (EN, "in Spanish, English, Vietnamese and Arabic", "No title in Vietnamese and Arabic"),
    ],
)
def test_the_series_form_names_the_sites_languages_and_notes_missing_titles(
    frozen_now, staff_client, settings, headers, intro, note
):
    settings.LANGUAGES = [(code, gettext_lazy(LANG_INFO[code]["name"])) for code in FOUR]
    data = series_data([VenueFactory()], dates="2027-02-03") | {"title_vi": "", "title_ar": ""}
    html = staff_client.post(reverse(SERIES), data | {"_preview": "1"}, **headers).content.decode()
    assert intro in html.split('<form method="post" action=')[0]
    preview = html.split('id="series-result"')[1]
    assert note in preview
    assert 'name="_confirm"' in preview  # a note, not a block
    upload = HEADER + "\n2027-02-03,18:30,20:00," + VenueFactory(name="Lincoln").name
    upload += ",Meet us,Conózcanos,Talk,Charla,yes\n"
    lang = headers["HTTP_ACCEPT_LANGUAGE"]
    html = staff_client.post(
        reverse(IMPORT), {"file": csv_file(upload)}, HTTP_ACCEPT_LANGUAGE=lang
    ).content.decode()
    assert note in html.split('id="import-preview"')[1]
    assert 'name="_confirm"' in html
