"""The flyers as one-page US Letter PDFs, drawn with fpdf2 from the words in meetings/flyers.py.

fpdf2 is pure Python (installed from pyproject.toml, no system libraries, nothing fetched at
render time) and embeds a subset of the TrueType fonts we ship in static/fonts/dejavu/ (free
licence, LICENSE.txt beside them): DejaVu Sans covers Spanish, Vietnamese and Arabic letters.
HarfBuzz (uharfbuzz) shapes the text: Arabic letters join their neighbours and a line runs from
the right, and a right-to-left language's half is drawn mirrored (its QR code on the left).
Black on white only, so a photocopy reads as well as the original.

Each language has its own half of the sheet (top and bottom: cut along the dashed line for two
half-letter handbills). Everything but the title (36 pt, never smaller) shrinks a step at a
time until the half fits; the series table drops its last rows if it must, and says how many.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.utils import translation
from fpdf import FPDF

from . import flyers
from .flyers import FlyerSide

# fontTools logs every glyph it keeps when fpdf2 subsets a font: not worth a log line.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONTS = Path(settings.BASE_DIR) / "static" / "fonts" / "dejavu"
FONT, NARROW = "DejaVu", "DejaVuCondensed"
PAGE_W, PAGE_H = 612.0, 792.0  # US Letter in points
MARGIN = 36.0
HALF = PAGE_H / 2
WIDTH = PAGE_W - 2 * MARGIN
TITLE_PT = 36  # readable from two metres; never shrunk
CHECK = "✓ "
SCALES = (1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65)
SERIES_MIN_SCALE = 0.85  # below this the table is too small to read: drop rows instead


class Sheet:
    """An fpdf2 page with our fonts, and text that either measures itself or draws."""

    def __init__(self, title: str, language: str) -> None:
        pdf = FPDF(orientation="portrait", unit="pt", format="letter")
        pdf.set_margin(0)
        pdf.set_auto_page_break(False)
        pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        pdf.add_font(NARROW, "", str(FONTS / "DejaVuSansCondensed.ttf"))
        pdf.add_font(NARROW, "B", str(FONTS / "DejaVuSansCondensed-Bold.ttf"))
        pdf.set_title(title)
        pdf.set_lang(language)
        pdf.set_creator(settings.SITE_URL)
        # Joined Arabic letters in reading order, marks placed on Vietnamese vowels; the
        # direction of each paragraph comes from its own letters (Unicode's bidi rules).
        pdf.set_text_shaping(True)
        pdf.add_page()
        self.pdf = pdf
        self.draw = True
        self.rtl = False  # the half being drawn is mirrored: see half()
        self._lines: dict[tuple, int] = {}  # measuring is most of the work: once per text

    def text(self, x, y, w, size, txt, *, bold=False, narrow=False, align="L", lead=1.2):
        """Write `txt` wrapped to width `w` with its top at y; returns the y below it. Only the
        bold face is wide; plain text is always narrow."""
        if not txt:
            return y
        if self.rtl:
            x, align = PAGE_W - x - w, {"L": "R"}.get(align, align)
        family = NARROW if narrow or not bold else FONT
        self.pdf.set_font(family, "B" if bold else "", size)
        height = size * lead
        args = {"w": w, "h": height, "text": txt, "align": align}
        key = (family, bold, size, w, txt)
        if key not in self._lines:
            self._lines[key] = len(self.pdf.multi_cell(**args, dry_run=True, output="LINES"))
        if self.draw:
            self.pdf.set_xy(x, y)
            self.pdf.multi_cell(**args)
        return y + height * self._lines[key]

    def fit(self, size: float, txt: str, width: float, *, bold=True, narrow=False) -> float:
        """`size`, or smaller so that `txt` fits on one line of `width`."""
        self.pdf.set_font(NARROW if narrow or not bold else FONT, "B" if bold else "", size)
        return min(size, size * width / max(self.pdf.get_string_width(txt), 1))

    def qr(self, url: str, x: float, y: float, size: float) -> None:
        """The QR code as filled squares (vector: sharp at any print size)."""
        if not self.draw:
            return
        if self.rtl:
            x = PAGE_W - x - size
        rows = list(flyers.qr_code(url).matrix_iter(scale=1, border=0))
        module = size / len(rows)
        self.pdf.set_fill_color(0)
        for r, row in enumerate(rows):
            c = 0
            while c < len(row):
                start = c
                while c < len(row) and row[c]:
                    c += 1
                if c > start:  # one rectangle per run of dark modules
                    w = (c - start) * module
                    self.pdf.rect(x + start * module, y + r * module, w, module, style="F")
                c += 1

    def cut_line(self) -> None:
        """A dashed line across the middle: each half is a handbill on its own."""
        pdf = self.pdf
        pdf.set_draw_color(0)
        pdf.set_line_width(0.75)
        pdf.set_dash_pattern(dash=6, gap=4)
        pdf.line(MARGIN / 2, HALF, PAGE_W - MARGIN / 2, HALF)
        pdf.set_dash_pattern()

    @contextmanager
    def half(self, language: str):
        """Draw a half in `language`: its words, and mirrored if it is written right to left
        (every box's x is mirrored, so the layout code stays the same for both)."""
        with translation.override(language):
            self.rtl = translation.get_language_bidi()
            try:
                yield
            finally:
                self.rtl = False

    def measure(self, draw_half, *args, **kwargs) -> float:
        """Where `draw_half` would end, without drawing."""
        self.draw = False
        try:
            return draw_half(self, *args, **kwargs)
        finally:
            self.draw = True


def _bottom(top: float) -> float:
    return top + HALF - MARGIN * 0.6


def _qr_block(sheet: Sheet, side: FlyerSide, x: float, y: float, size: float, s: float) -> float:
    """The code, what it is for, and the address to type instead."""
    sheet.qr(side.url, x, y, size)
    y = sheet.text(x - 12, y + size + 3, size + 24, 9 * s, side.scan, narrow=True, align="C")
    # multi_cell keeps a small inner margin on each side: fit within what is left.
    url_size = sheet.fit(12 * s, side.short_url, size + 26, narrow=True)
    return sheet.text(
        x - 18, y + 1, size + 36, url_size, side.short_url, bold=True, narrow=True, align="C"
    )


def _footer(sheet: Sheet, side: FlyerSide, y: float) -> float:
    """Who is inviting and how to talk to a person: small, and never shrunk further."""
    if side.sms_join:
        y = sheet.text(MARGIN, y + 4, WIDTH, 14, side.sms_join, bold=True)
    y = sheet.text(MARGIN, y + 4, WIDTH, 10.5, side.who, bold=True)
    return sheet.text(MARGIN, y + 2, WIDTH, 8, side.remind)


def _facts(sheet: Sheet, x: float, y: float, w: float, size: float, facts: list[str]) -> float:
    for fact in facts:
        y = sheet.text(x, y, w, size, CHECK + fact, bold=True, lead=1.15) + size * 0.2
    return y


def meeting_half(sheet: Sheet, side: FlyerSide, top: float, s: float) -> float:
    """One meeting in one language: title, date and time, place, the facts, the QR code. What
    is read from afar (the date, the three facts) shrinks least."""
    m = side.meetings[0]
    y = sheet.text(MARGIN, top + 22, WIDTH, TITLE_PT, m.title, bold=True, narrow=True, lead=1.05)
    for line in (m.day, m.time):
        size = sheet.fit(30 * max(s, 0.85), line, WIDTH)
        y = sheet.text(MARGIN, y + 1, WIDTH, size, line, bold=True, lead=1.15)
    qr_size = 136 * s
    column = WIDTH - qr_size - 36
    left = sheet.text(MARGIN, y + 6, column, 18 * s, m.venue, bold=True)
    left = sheet.text(MARGIN, left, column, 14 * s, m.address)
    left = _facts(sheet, MARGIN, left + 6, column, 19 * max(s, 0.9), side.headline)
    right = _qr_block(sheet, side, PAGE_W - MARGIN - qr_size - 18, y + 8, qr_size, s)
    y = max(left, right)
    if side.others:
        y = sheet.text(MARGIN, y + 2, WIDTH, 11, " · ".join(side.others))
    return _footer(sheet, side, y)


def _series_header(sheet: Sheet, side: FlyerSide, top: float, s: float) -> float:
    """Title, who is inviting, and what is true of every date, beside the QR code."""
    qr_size = 82 * s
    column = WIDTH - qr_size - 8
    y = sheet.text(
        MARGIN, top + 22, column, TITLE_PT, side.title, bold=True, narrow=True, lead=1.05
    )
    y = sheet.text(MARGIN, y, column, 16 * s, side.department, bold=True)
    left = _facts(sheet, MARGIN, y + 4, column, 15 * s, side.headline)
    if side.others:
        left = sheet.text(MARGIN, left, column, 11 * s, " · ".join(side.others), narrow=True)
    right = _qr_block(sheet, side, PAGE_W - MARGIN - qr_size, top + 26, qr_size, s)
    return max(left, right) + 4


def _row_widths(side: FlyerSide) -> list[float]:
    marks = 40 if side.legend else 0
    return [136, 114, WIDTH - 250 - marks] + ([marks] if marks else [])


def _row(sheet: Sheet, side: FlyerSide, row, y: float, s: float) -> float:
    """Date | time | place | this meeting's own facts as marks; a rule under it."""
    size = 10.5 * s
    cells = [(row.short_day, True), (row.time, False), (f"{row.venue}, {row.street}", False)]
    if side.legend:
        cells.append((row.marks, False))
    x, bottom = MARGIN, y
    for (txt, bold), w in zip(cells, _row_widths(side), strict=True):
        end = sheet.text(x, y + 2, w - 6, size, txt, bold=bold, narrow=True, lead=1.15)
        bottom, x = max(bottom, end), x + w
    if sheet.draw:
        sheet.pdf.set_line_width(0.5)
        sheet.pdf.line(MARGIN, bottom + 2, MARGIN + WIDTH, bottom + 2)
    return bottom + 2


def _series_tail(sheet: Sheet, side: FlyerSide, y: float, s: float, more: int) -> float:
    """How many dates did not fit, what the marks mean, and who to call."""
    if more:
        y = sheet.text(MARGIN, y + 2, WIDTH, 11 * s, flyers.more_dates(more), bold=True)
    if side.legend:
        # No-break spaces inside an entry: a line breaks only between entries.
        legend = "    ".join(f"{mark} {fact}".replace(" ", "\u00a0") for mark, fact in side.legend)
        y = sheet.text(MARGIN, y + 3, WIDTH, 10 * s, legend, narrow=True)
    return _footer(sheet, side, y + 2)


def series_half(sheet: Sheet, side: FlyerSide, top: float, s: float, rows: int) -> float:
    """Every date in one language: title and shared facts beside the QR code, then a table."""
    y = _series_header(sheet, side, top, s)
    if not side.meetings:
        y = sheet.text(MARGIN, y + 6, WIDTH, 18 * s, side.empty, bold=True)
    for row in side.meetings[:rows]:
        y = _row(sheet, side, row, y, s)
    more = side.more + len(side.meetings) - min(rows, len(side.meetings))
    return _series_tail(sheet, side, y, s, more)


def _series_layout(sheet: Sheet, side: FlyerSide, top: float) -> tuple[float, int]:
    """The largest scale at which every row fits; else as many rows as fit, not too small."""
    total = len(side.meetings)
    for scale in SCALES:
        if scale < SERIES_MIN_SCALE:
            break
        if sheet.measure(series_half, side, top, scale, total) <= _bottom(top):
            return scale, total
    for rows in range(total - 1, 0, -1):
        if sheet.measure(series_half, side, top, SERIES_MIN_SCALE, rows) <= _bottom(top):
            return SERIES_MIN_SCALE, rows
    return SERIES_MIN_SCALE, min(total, 1)


def _meeting_scale(sheet: Sheet, side: FlyerSide, top: float) -> float:
    for scale in SCALES:
        if sheet.measure(meeting_half, side, top, scale) <= _bottom(top):
            return scale
    return SCALES[-1]


def meeting_pdf(meeting, pair: list[str] | None = None) -> bytes:
    """One meeting's flyer: one Letter page, a half per language."""
    sides = flyers.meeting_flyer(meeting, pair)
    sheet = Sheet(meeting.title, sides[0].language)
    for index, side in enumerate(sides):
        top = index * HALF
        with sheet.half(side.language):
            meeting_half(sheet, side, top, _meeting_scale(sheet, side, top))
    sheet.cut_line()
    return bytes(sheet.pdf.output())


def series_pdf(meetings: list, pair: list[str] | None = None) -> bytes:
    """The flyer listing the given meetings: one Letter page, a half per language."""
    sides = flyers.series_flyer(meetings, pair)
    sheet = Sheet(sides[0].title, sides[0].language)
    for index, side in enumerate(sides):
        top = index * HALF
        with sheet.half(side.language):
            scale, rows = _series_layout(sheet, side, top)
            series_half(sheet, side, top, scale, rows)
    sheet.cut_line()
    return bytes(sheet.pdf.output())
