"""The visit report as a PDF (fpdf2): page 1 a doctor can read in a minute, then the detail.

Page 1 is the summary (who and when, the red flags by kind, the symptoms around each taper
step, diazepam against the plan, symptoms). Core fonts only (no font files to ship), so every
text passes through `latin1` first; the chart is drawn with lines and rectangles, crisp at
any zoom. Nothing depends on colour alone: the
pain line is solid with dots, the dose is grey bars, plan steps are dashed and labelled, so
a black-and-white print reads the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from diazlog.domain.questions import short_date
from diazlog.domain.taper import planned_total
from diazlog.domain.visible_text import visible
from diazlog.report.model import (
    ADHERENCE_HEADERS,
    EMPTY,
    EPISODE_HEADERS,
    MEDICINE_HEADERS,
    SECTION_CHART,
    SECTION_DAILY_LIFE,
    SECTION_DIAZEPAM,
    SECTION_EPISODES,
    SECTION_FLAG_DAYS,
    SECTION_FLAGS,
    SECTION_MEDICINES,
    SECTION_QUESTIONS,
    SECTION_RESPONSE,
    SECTION_SYMPTOMS,
    SYMPTOM_HEADERS,
    SYMPTOM_NOTE,
    TAPER_HEADERS,
    ChartPoint,
    VisitReport,
    adherence_row,
    daily_life_lines,
    dose_lines,
    episode_rows,
    episodes_note,
    flag_line,
    intro_lines,
    long_date,
    medicine_rows,
    next_step_line,
    symptom_rows,
    taper_rows,
)
from diazlog.report.page_one import (
    RESPONSE_NOTE,
    SUMMARY_NOTE,
    flag_notes,
    response_sentences,
    response_tables,
    summary_line,
)

_REPLACEMENTS = {
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u2265": ">=",
    "\u2264": "<=",
    "\u00b7": "-",
    "\u2022": "-",
    "\u2026": "...",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2192": "->",
    "\u26a0": "!",
}
INK = (33, 37, 41)
MUTED = (90, 90, 90)
ACCENT = (31, 78, 121)
PAIN = (150, 20, 20)
DOSE = (200, 200, 200)
STEP = (80, 80, 80)
LINE = 3.9  # mm per line of body text


def latin1(text: str) -> str:
    """What the core fonts can draw: control characters as visible escapes (`\\x1b`, as
    every surface shows them), known symbols spelled out, anything else as '?'."""
    text = visible(text)
    for char, plain in _REPLACEMENTS.items():
        text = text.replace(char, plain)
    return text.encode("latin-1", "replace").decode("latin-1")


class _Pdf(FPDF):
    def __init__(self, report: VisitReport) -> None:
        super().__init__(format="A4")
        self.report = report
        self.set_margins(14, 12, 14)
        self.set_auto_page_break(True, margin=13)
        self.set_title(latin1(report.title))
        self.set_creator("diazlog")

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font("Helvetica", size=7)
        self.set_text_color(*MUTED)
        self.cell(
            0,
            4,
            latin1(
                f"diazlog - the patient's own records, {long_date(self.report.start)} to "
                f"{long_date(self.report.end)} - page {self.page_no()}/{{nb}}"
            ),
            align="C",
        )

    def heading(self, text: str) -> None:
        if self.get_y() > self.h - 35:
            self.add_page()
        self.ln(1.2)
        self.set_font("Helvetica", "B", 10.5)
        self.set_text_color(*ACCENT)
        self.cell(0, 5.5, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*ACCENT)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(1.2)
        self.set_text_color(*INK)

    def para(self, text: str, size: float = 8.5, style: str = "") -> None:
        self.set_font("Helvetica", style, size)
        self.multi_cell(0, LINE, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def note(self, text: str) -> None:
        self.set_text_color(*MUTED)
        self.para(text, size=7.5)
        self.set_text_color(*INK)

    def grid(self, header: list[str], rows: list[list[str]], widths: tuple[int, ...]) -> None:
        self.set_font("Helvetica", size=7.8)
        self.set_draw_color(170, 170, 170)
        self.set_fill_color(255, 255, 255)
        self.set_text_color(*INK)
        with self.table(
            col_widths=widths,
            text_align="LEFT",
            line_height=3.7,
            padding=(0.4, 1.0),
            headings_style=_heading_style(),
            first_row_as_headings=True,
        ) as table:
            table.row([latin1(h) for h in header])
            for row in rows:
                table.row([latin1(cell) for cell in row])
        self.ln(0.8)


def _heading_style():
    from fpdf.fonts import FontFace

    return FontFace(emphasis="BOLD", fill_color=(230, 230, 230), color=INK)


def render_pdf(report: VisitReport) -> bytes:
    pdf = _Pdf(report)
    pdf.alias_nb_pages()
    pdf.add_page()
    _title(pdf, report)
    _flags(pdf, report)
    _response(pdf, report)
    _diazepam(pdf, report)
    _symptoms(pdf, report)
    _flag_days(pdf, report)
    _episodes(pdf, report)
    _daily_life(pdf, report)
    _medicines(pdf, report)
    _questions(pdf, report)
    _chart_section(pdf, report)
    return bytes(pdf.output())


def _title(pdf: _Pdf, report: VisitReport) -> None:
    pdf.set_font("Helvetica", "B", 14)
    pdf.set_text_color(*INK)
    pdf.cell(0, 7, latin1(report.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    lines = intro_lines(report)
    *facts, source = lines
    pdf.para("   ".join(facts), size=9, style="B")
    pdf.note(source)


def _flags(pdf: _Pdf, report: VisitReport) -> None:
    """Page 1 starts here: one line per kind of flag, the most urgent first and in bold."""
    pdf.heading(SECTION_FLAGS)
    top = max((line.rank for line in report.flag_summary), default=0)
    for line in report.flag_summary:
        text = summary_line(line, report.flag_doses.get(line.key, ()))
        pdf.para(f"- {text}", size=8.3, style="B" if line.rank == top else "")
    if report.flag_summary:
        pdf.note(SUMMARY_NOTE)
    else:
        pdf.para(EMPTY[SECTION_FLAGS])


def _response(pdf: _Pdf, report: VisitReport) -> None:
    pdf.heading(SECTION_RESPONSE)
    if not report.taper_response:
        pdf.para(EMPTY[SECTION_RESPONSE])
        return
    for line in response_sentences(report):
        pdf.para(f"- {line}", size=8.5, style="B")
    pdf.ln(0.8)
    for header, rows in response_tables(report):
        widths = (30,) + (38,) * (len(header) - 1)
        pdf.grid(header, rows, widths)
    pdf.note(RESPONSE_NOTE)


def _flag_days(pdf: _Pdf, report: VisitReport) -> None:
    """The full list, in date order, each day's note beside the first flag of that day."""
    pdf.heading(SECTION_FLAG_DAYS)
    if not report.flags:
        pdf.para(EMPTY[SECTION_FLAG_DAYS])
    for event, notes in zip(report.flags, flag_notes(report), strict=True):
        pdf.para(f"- {flag_line(event)}", size=8)
        for note in notes:
            pdf.set_x(pdf.l_margin + 4)
            pdf.set_text_color(*MUTED)
            pdf.set_font("Helvetica", "I", 7.5)
            pdf.multi_cell(0, 3.5, latin1(f"Day note, {note}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_text_color(*INK)


def _diazepam(pdf: _Pdf, report: VisitReport) -> None:
    pdf.heading(SECTION_DIAZEPAM)
    if report.taper:
        pdf.grid(TAPER_HEADERS, taper_rows(report), (45, 75, 30))
    if report.adherence.planned:
        pdf.grid(ADHERENCE_HEADERS, [adherence_row(report)], (26, 38, 38, 30, 24))
    *explain, logged, as_needed = dose_lines(report)
    pdf.para(f"{logged} {as_needed}")
    if report.next_step is not None:
        pdf.para(next_step_line(report), style="B")
    for line in explain:
        pdf.note(line)


def _table_section(
    pdf: _Pdf,
    title: str,
    header: list[str],
    rows: list[list[str]],
    widths: tuple[int, ...],
    note: str = "",
) -> None:
    """A heading, a table (or what the section says when empty) and a note below it."""
    pdf.heading(title)
    if rows:
        pdf.grid(header, rows, widths)
    else:
        pdf.para(EMPTY.get(title, ""))
    if note:
        pdf.note(note)


def _symptoms(pdf: _Pdf, report: VisitReport) -> None:
    note = SYMPTOM_NOTE if report.symptoms else ""
    rows = symptom_rows(report)
    _table_section(pdf, SECTION_SYMPTOMS, SYMPTOM_HEADERS, rows, (32, 16, 24, 20, 90), note)


def _episodes(pdf: _Pdf, report: VisitReport) -> None:
    pdf.heading(SECTION_EPISODES)
    pdf.note(episodes_note(report))
    if report.episodes:
        pdf.grid(EPISODE_HEADERS, episode_rows(report), (14, 26, 12, 13, 16, 13, 24, 64))


def _daily_life(pdf: _Pdf, report: VisitReport) -> None:
    pdf.heading(SECTION_DAILY_LIFE)
    for line in daily_life_lines(report):
        pdf.para(f"- {line}")


def _medicines(pdf: _Pdf, report: VisitReport) -> None:
    rows = medicine_rows(report)
    _table_section(pdf, SECTION_MEDICINES, MEDICINE_HEADERS, rows, (24, 28, 26, 52, 52))


def _questions(pdf: _Pdf, report: VisitReport) -> None:
    pdf.heading(SECTION_QUESTIONS)
    if not report.questions:
        pdf.para(EMPTY[SECTION_QUESTIONS])
    for question in report.questions:
        pdf.set_x(pdf.l_margin)
        pdf.set_font("Helvetica", size=8.5)
        pdf.cell(5, LINE, "[  ]")
        pdf.set_x(pdf.l_margin + 7)
        pdf.multi_cell(0, LINE, latin1(question.line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if question.source:
            pdf.set_x(pdf.l_margin + 7)
            pdf.set_font("Helvetica", "I", 7.5)
            pdf.set_text_color(*MUTED)
            pdf.multi_cell(0, 3.5, latin1(question.source), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_text_color(*INK)
        pdf.ln(0.5)


# -- the chart ------------------------------------------------------------------------------


CHART_HEIGHT_MM = 46.0
# Rather than start a page for the chart alone, draw it down to this height in the room left.
CHART_MIN_HEIGHT_MM = 24.0
CHART_FRAME_MM = 27.0  # heading, note, axis labels and the space after it


def _chart_section(pdf: _Pdf, report: VisitReport) -> None:
    room = pdf.h - pdf.b_margin - pdf.get_y() - CHART_FRAME_MM
    height = min(CHART_HEIGHT_MM, room)
    if height < CHART_MIN_HEIGHT_MM:
        pdf.add_page()
        height = CHART_HEIGHT_MM
    pdf.heading(SECTION_CHART)
    if not report.chart:
        pdf.para(EMPTY[SECTION_CHART])
        return
    span = (
        "each day"
        if report.chart_bucket_days == 1
        else (f"means over {report.chart_bucket_days} days")
    )
    pdf.note(
        f"Solid line with dots: leg pain (left scale, 0-10). Grey bars: diazepam taken, mg a "
        f"day (right scale). Dashed lines: the plan's steps, labelled. Points are {span}; "
        "gaps are days not logged."
    )
    _draw_chart(pdf, report, pdf.l_margin + 9, pdf.get_y() + 2, pdf.epw - 20, height)
    pdf.set_y(pdf.get_y() + 2 + height + 7)


def _draw_chart(pdf: _Pdf, report: VisitReport, x: float, y: float, w: float, h: float) -> None:
    points = report.chart
    top_mg = max((p.diazepam_mg or 0 for p in points), default=0)
    top_mg = max(top_mg, max((planned_total(s) for s in report.taper), default=0), 1)
    top_mg = float(-(-top_mg // 5) * 5)  # round up to a multiple of 5 mg
    count = len(points)
    slot = w / count
    pdf.set_font("Helvetica", size=7)
    pdf.set_line_width(0.1)
    # Grid and left axis (pain 0-10).
    for level in range(0, 11, 2):
        gy = y + h - h * level / 10
        pdf.set_draw_color(225, 225, 225)
        pdf.line(x, gy, x + w, gy)
        pdf.set_text_color(*PAIN)
        pdf.text(x - 5, gy + 1.2, str(level))
    # Right axis (mg).
    pdf.set_text_color(*MUTED)
    for fraction in (0, 0.5, 1):
        gy = y + h - h * fraction
        pdf.text(x + w + 1.5, gy + 1.2, f"{top_mg * fraction:g} mg")
    # Dose bars.
    pdf.set_fill_color(*DOSE)
    for index, point in enumerate(points):
        if point.diazepam_mg:
            bar = h * point.diazepam_mg / top_mg
            pdf.rect(x + index * slot + slot * 0.15, y + h - bar, slot * 0.7, bar, style="F")
    # Taper steps: a dashed line each, labelled where the label has room.
    pdf.set_draw_color(*STEP)
    pdf.set_text_color(*STEP)
    wanted = []
    for step in report.taper:
        if step.from_date < points[0].start:
            text = latin1(f"plan in force: {planned_total(step):g} mg/day")
            wanted.append((x, text, pdf.get_string_width(text)))
            continue
        slot_index = _index_of(points, step.from_date, report.chart_bucket_days)
        if slot_index is None:
            continue
        sx = x + slot_index * slot
        with pdf.local_context(dash_pattern={"dash": 1, "gap": 1}):
            pdf.line(sx, y, sx, y + h)
        text = latin1(f"{planned_total(step):g} mg/day")
        wanted.append((sx + 0.8, text, pdf.get_string_width(text)))
    rows = max(1, int(h * LABEL_SHARE / LABEL_ROW_MM))
    for label in place_labels(wanted, x + 0.8, x + w - 0.8, rows):
        pdf.text(label.x, y + 2.5 + label.row * LABEL_ROW_MM, label.text)
    # Pain line, broken where nothing was logged.
    pdf.set_draw_color(*PAIN)
    pdf.set_fill_color(*PAIN)
    pdf.set_line_width(0.5)
    previous: tuple[float, float] | None = None
    for index, point in enumerate(points):
        if point.leg_pain is None:
            previous = None
            continue
        px = x + index * slot + slot / 2
        py = y + h - h * point.leg_pain / 10
        if previous is not None:
            pdf.line(previous[0], previous[1], px, py)
        alone = previous is None and (index + 1 >= count or points[index + 1].leg_pain is None)
        if count <= 100 or alone:  # a day between two gaps would otherwise not show
            pdf.ellipse(px - 0.6, py - 0.6, 1.2, 1.2, style="F")
        previous = (px, py)
    pdf.set_line_width(0.2)
    pdf.set_draw_color(*MUTED)
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x, y, w, h)
    # Date labels along the bottom.
    pdf.set_text_color(*MUTED)
    ticks = min(count, 7)
    for tick in range(ticks):
        index = round(tick * (count - 1) / max(1, ticks - 1))
        day = latin1(short_date(points[index].start))
        width = pdf.get_string_width(day)
        # Centred under its point, but never out past the frame, under the axis numbers.
        lx = min(max(x, x + index * slot + slot / 2 - width / 2), x + w - width)
        pdf.text(lx, y + h + 4, day)
    pdf.set_text_color(*INK)


# Step labels sit in rows this far apart, in the top part of the chart only.
LABEL_ROW_MM = 3.0
LABEL_SHARE = 0.45
LABEL_GAP_MM = 1.5


@dataclass(frozen=True)
class Label:
    x: float
    row: int
    width: float
    text: str


def place_labels(
    wanted: Sequence[tuple[float, str, float]],
    left: float,
    right: float,
    rows: int,
    gap: float = LABEL_GAP_MM,
) -> list[Label]:
    """Put each (x, text, width) label at its x, inside [left, right] (clear of both axes'
    numbers), on the first row where it keeps `gap` from every other label. A label with no
    free row is left out: its dashed line stays, and the table and the taper list name it."""
    placed: list[Label] = []
    for x, text, width in sorted(wanted, key=lambda item: item[0]):
        if width > right - left:
            continue
        x = min(max(x, left), right - width)
        for row in range(rows):
            if all(
                x >= p.x + p.width + gap or p.x >= x + width + gap for p in placed if p.row == row
            ):
                placed.append(Label(x, row, width, text))
                break
    return placed


def _index_of(points: tuple[ChartPoint, ...], day: str, bucket: int) -> int | None:
    """The chart slot a date falls in, or None when it is outside the chart."""
    first = date.fromisoformat(points[0].start)
    offset = (date.fromisoformat(day) - first).days
    if offset < 0:
        return None
    index = offset // bucket
    return index if index < len(points) else None
