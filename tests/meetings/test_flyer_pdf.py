"""The flyers as staff print them: one Letter page, a half per language, a QR code that a
phone reads as the page in that half's language, and each meeting's own facts."""

import io
from datetime import datetime

import pypdfium2
import pytest
import zxingcpp
from django.urls import reverse
from pypdf import PdfReader

from meetings import flyer_pdf, flyers
from meetings.enums import Parking
from meetings.models import Meeting
from tests.conftest import CHICAGO
from tests.factories import MeetingFactory, VenueFactory

pytestmark = pytest.mark.django_db

SITE = "https://meetings.example.org"
LETTER = (612, 792)


def words(pdf: bytes) -> str:
    """The page's text with its line breaks and spacing folded into single spaces."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def qr_codes(pdf: bytes) -> list[tuple[str, str]]:
    """What a phone reads from each QR code on the printed page, and which half it is on."""
    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=3).to_pil()
    found = zxingcpp.read_barcodes(image)
    half = image.height / 2
    return sorted(
        (code.text, "top" if code.position.top_left.y < half else "bottom")
        for code in found
        if code.format == zxingcpp.BarcodeFormat.QRCode
    )


@pytest.fixture
def meeting(frozen_now):
    venue = VenueFactory(name="Familia Bethel Internacional", street_address="7001 Fulton St")
    return MeetingFactory(
        venue=venue,
        starts_at=datetime(2027, 2, 3, 18, 30, tzinfo=CHICAGO),
        step_free_access=True,
        parking=Parking.FREE_LOT,
    )


def test_the_meeting_flyer_is_one_letter_page_in_both_languages(meeting):
    pdf = flyer_pdf.meeting_pdf(meeting)
    assert page_count(pdf) == 1
    assert tuple(PdfReader(io.BytesIO(pdf)).pages[0].mediabox[2:]) == LETTER
    text = words(pdf)
    spanish = [
        "Reunión comunitaria",
        "miércoles, 3 de febrero de 2027",
        "6:30 p. m. – 8:00 p. m.",
        "✓ Gratis",
        "✓ No se pide identificación ni estatus migratorio",
        "✓ Se habla español",
        "Acceso sin escalones",
        "Departamento de Policía de Dallas",
    ]
    english = [
        "Community meeting",
        "Wednesday, February 3, 2027",
        "6:30 p.m. – 8:00 p.m.",
        "✓ Free",
        "✓ No ID or immigration status asked",
        "✓ English spoken",
        "Step-free access",
        "Dallas Police Department",
    ]
    for phrase in spanish + english:
        assert phrase in text, phrase
    assert "Familia Bethel Internacional" in text and "7001 Fulton St" in text
    assert text.index("Gratis") < text.index("Free"), "Spanish is the top half"
    assert f"meetings.example.org/es/m/{meeting.pk}" in text
    assert f"meetings.example.org/en/m/{meeting.pk}" in text


def test_each_half_of_the_meeting_flyer_has_a_qr_code_to_its_language(meeting):
    assert qr_codes(flyer_pdf.meeting_pdf(meeting)) == [
        (f"{SITE}/en/meetings/{meeting.slug}/", "bottom"),
        (f"{SITE}/es/reuniones/{meeting.slug}/", "top"),
    ]


def test_the_fonts_are_embedded(meeting):
    page = PdfReader(io.BytesIO(flyer_pdf.meeting_pdf(meeting))).pages[0]
    fonts = page["/Resources"]["/Font"]
    names = {str(fonts[key].get_object()["/BaseFont"]) for key in fonts}
    assert names and all("DejaVu" in name for name in names)
    for key in fonts:
        descendant = fonts[key].get_object()["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"], "the font travels in the file"


def test_staff_choose_which_language_goes_on_top(meeting, staff_client):
    url = reverse("admin:meetings_meeting_flyer_pdf", args=[meeting.pk])
    response = staff_client.get(url, {"top": "en", "bottom": "es"})
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = words(response.content)
    assert text.index("Free") < text.index("Gratis")
    assert qr_codes(response.content)[0] == (f"{SITE}/en/meetings/{meeting.slug}/", "top")


def test_an_unknown_language_falls_back_to_the_sites_first_two(settings):
    assert flyers.language_pair("xx", None) == [code for code, _ in settings.LANGUAGES[:2]]


@pytest.fixture
def series(frozen_now):
    """Thirteen Wednesdays at three venues (more than fit); only the first venue has
    step-free access. (Few meetings: every one created moves the id sequence that other
    tests' short links are counted with.)"""
    venues = [VenueFactory(name=f"Iglesia {n}", street_address=f"{n}00 Main St") for n in (1, 2, 3)]
    return [
        MeetingFactory(
            venue=venues[i % 3],
            starts_at=datetime(2027, 2 + i // 4, 3 + 7 * (i % 4), 18, 30, tzinfo=CHICAGO),
            step_free_access=i % 3 == 0,
        )
        for i in range(13)
    ]


def upcoming() -> list[Meeting]:
    return list(Meeting.objects.upcoming())


def test_the_series_flyer_is_one_page_of_dates_with_a_qr_code_per_language(series, staff_client):
    response = staff_client.get(reverse("admin:meetings_meeting_series_flyer_pdf"))
    pdf = response.content
    assert page_count(pdf) == 1
    text = words(pdf)
    assert "Reuniones comunitarias" in text and "Community meetings" in text
    assert "✓ Gratis" in text and "✓ Free" in text
    assert "miércoles 3 de febrero" in text and "Wednesday, February 3" in text
    spanish_rows = text.count("6:30 p. m. – 8:00 p. m.")
    english_rows = text.count("6:30 p.m. – 8:00 p.m.")
    assert spanish_rows >= 10 and english_rows >= 10
    if spanish_rows < len(series):  # what did not fit is counted, never silently dropped
        assert f"Y {len(series) - spanish_rows} fechas más: escanee el código." in text
    if english_rows < len(series):
        assert f"And {len(series) - english_rows} more dates: scan the code." in text
    assert qr_codes(pdf) == [(f"{SITE}/en/", "bottom"), (f"{SITE}/es/", "top")]


def test_each_row_of_the_series_flyer_carries_that_meetings_own_facts(series):
    """It used to print the first meeting's facts for every meeting. What is true of every
    meeting is said once, in large type; the rest is marked on each row."""
    spanish, english = flyers.series_flyer(upcoming())
    assert spanish.headline == [
        "Gratis",
        "No se pide identificación ni estatus migratorio",
        "Se habla español",
    ]
    assert "Step-free access" not in english.others  # not true of every meeting
    assert english.legend == [("①", "Step-free access")]
    for meeting, row in zip(upcoming(), english.meetings, strict=False):
        assert row.marks == ("①" if meeting.step_free_access else "")
    text = words(flyer_pdf.series_pdf(upcoming()))
    assert "① Acceso sin escalones" in text and "① Step-free access" in text


def test_a_series_flyer_with_no_meetings_says_so(frozen_now):
    text = words(flyer_pdf.series_pdf([]))
    assert "Por ahora no hay reuniones programadas." in text
    assert "No meetings are scheduled right now." in text


def test_no_text_to_join_line_until_a_number_is_set(meeting, settings):
    settings.SMS_JOIN_NUMBER = ""
    assert flyers.sms_join_line("es") is None
    assert "Sin internet" not in words(flyer_pdf.meeting_pdf(meeting))


def test_the_text_to_join_line_when_a_number_is_set(meeting, settings):
    pytest.importorskip("reminders.join", reason="text to join (issue 13) not merged yet")
    settings.SMS_JOIN_NUMBER = "+12145550100"
    text = words(flyer_pdf.meeting_pdf(meeting))
    assert "¿Sin internet? Envíe" in text and "(214) 555-0100" in text


# --- A right-to-left half -------------------------------------------------------------------

ARABIC_TITLE = "اجتماع مجتمعي"


def drawn(pdf: bytes, phrase: str, after: str = "") -> list[tuple[float, float]]:
    """Where each letter of `phrase` (the first after `after`) is drawn (left and right edge,
    in points), in reading order as a PDF reader extracts it: letters drawn backwards or
    unjoined read backwards."""
    page = pypdfium2.PdfDocument(pdf)[0]
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    start = text.find(phrase, text.find(after))
    assert start >= 0, f"{phrase!r} not found in {text!r}"
    return [textpage.get_charbox(i)[0::2] for i in range(start, start + len(phrase))]


@pytest.fixture
def arabic_meeting(meeting, settings):
    settings.LANGUAGES = [("es", "Español"), ("ar", "العربيّة")]
    meeting.title_ar = ARABIC_TITLE
    meeting.save()
    return meeting


def test_the_arabic_half_reads_right_to_left_with_joined_letters(arabic_meeting):
    """Arabic letters change shape to join their neighbours and a line runs from the right:
    without a shaping engine they were drawn apart, left to right, and read backwards."""
    pdf = flyer_pdf.meeting_pdf(arabic_meeting, ["es", "ar"])
    letters = drawn(pdf, ARABIC_TITLE)
    lefts = [left for left, _right in letters if left]
    assert lefts == sorted(lefts, reverse=True), "each letter left of the one before it"
    assert max(right for _left, right in letters) > flyer_pdf.PAGE_W - flyer_pdf.MARGIN - 12


def test_the_arabic_half_is_mirrored_with_its_qr_code_on_the_left(arabic_meeting):
    pdf = flyer_pdf.meeting_pdf(arabic_meeting, ["es", "ar"])
    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=3).to_pil()
    sides = {
        "top" if code.position.top_left.y < image.height / 2 else "bottom": code.position
        for code in zxingcpp.read_barcodes(image)
    }
    assert sides["top"].top_left.x > image.width / 2, "Spanish: the code on the right"
    assert sides["bottom"].top_right.x < image.width / 2, "Arabic: the code on the left"


def line_as_seen(pdf: bytes, word: str, after: str) -> str:
    """The line holding `word` (the first after `after`) as the eye sees it: its letters from
    left to right, whatever order they are stored in (spaces left out)."""
    textpage = pypdfium2.PdfDocument(pdf)[0].get_textpage()
    text = textpage.get_text_range()
    found = text.find(word, text.find(after))
    baseline = textpage.get_charbox(found, loose=True)[1]
    boxes = [(textpage.get_charbox(i, loose=True), char) for i, char in enumerate(text)]
    on_line = [(box[0], char) for box, char in boxes if abs(box[1] - baseline) < 1 and box[2]]
    return "".join(char for _left, char in sorted(on_line))


def test_a_phone_number_in_the_arabic_half_stays_in_one_piece(arabic_meeting, settings):
    """Read right to left, "(214) 555-0100" must not become "555-0100 (214)"; a time stays
    "6:30"."""
    settings.SMS_JOIN_NUMBER = "+12145550100"
    pdf = flyer_pdf.meeting_pdf(arabic_meeting, ["es", "ar"])
    seen = line_as_seen(pdf, "0100", after=ARABIC_TITLE)
    assert "555-0100" in seen and seen.index("214") < seen.index("555-0100"), seen
    assert "214-555-0142" in line_as_seen(pdf, "0142", after=ARABIC_TITLE)
    times = line_as_seen(pdf, "6", after=ARABIC_TITLE)
    assert "6:30" in times and "8:00" in times
