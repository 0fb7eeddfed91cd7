"""The visit report as a PDF (fpdf2): one or two A4 pages a doctor can read at a glance.

Core fonts only (no font files to ship), so every text passes through `latin1` first; the
chart is drawn with lines and rectangles, crisp at any zoom.
"""

from __future__ import annotations

from datetime import date

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from diazlog.domain.questions import short_date
from diazlog.report.visit import (
    SYMPTOM_HEADERS,
    ChartPoint,
    VisitReport,
    flag_line,
    fmt,
    long_date,
    symptom_rows,
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
MUTED = (108, 117, 125)
ACCENT = (31, 78, 121)
PAIN = (178, 34, 34)
DOSE = (190, 200, 214)
STEP = (120, 120, 120)


def latin1(text: str) -> str:
    """What the core fonts can draw: known symbols spelled out, anything else as '?'."""
    for char, plain in _REPLACEMENTS.items():
        text = text.replace(char, plain)
    return text.encode("latin-1", "replace").decode("latin-1")


class _Pdf(FPDF):
    def __init__(self, report: VisitReport) -> None:
        super().__init__(format="A4")
        self.report = report
        self.set_margins(15, 14, 15)
        self.set_auto_page_break(True, margin=14)
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
        if self.get_y() > self.h - 40:
            self.add_page()
        self.ln(2)
        self.set_font("Helvetica", "B", 11)
        self.set_text_color(*ACCENT)
        self.cell(0, 6, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*ACCENT)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(1.5)
        self.set_text_color(*INK)

    def para(self, text: str, size: float = 9, style: str = "") -> None:
        self.set_font("Helvetica", style, size)
        self.multi_cell(0, 4.4, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def grid(self, header: list[str], rows: list[list[str]], widths: tuple[int, ...]) -> None:
        self.set_font("Helvetica", size=8.5)
        self.set_draw_color(200, 200, 200)
        self.set_fill_color(255, 255, 255)
        self.set_text_color(*INK)
        with self.table(
            col_widths=widths,
            text_align="LEFT",
            line_height=4.6,
            padding=(0.6, 1.2),
            headings_style=_heading_style(),
            first_row_as_headings=True,
        ) as table:
            table.row([latin1(h) for h in header])
            for row in rows:
                table.row([latin1(cell) for cell in row])
        self.ln(1)


def _heading_style():
    from fpdf.fonts import FontFace

    return FontFace(emphasis="BOLD", fill_color=(234, 239, 244), color=INK)


def render_pdf(report: VisitReport) -> bytes:
    pdf = _Pdf(report)
    pdf.alias_nb_pages()
    pdf.add_page()
    _title(pdf, report)
    _dose(pdf, report)
    _chart_section(pdf, report)
    _symptoms(pdf, report)
    _flags(pdf, report)
    _medicines(pdf, report)
    _questions(pdf, report)
    return bytes(pdf.output())


def _title(pdf: _Pdf, report: VisitReport) -> None:
    pdf.set_font("Helvetica", "B", 15)
    pdf.set_text_color(*INK)
    pdf.cell(0, 8, latin1(report.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*MUTED)
    lines = [
        f"{report.days_logged} of {report.days_in_range} days logged. Ratings 0-10: "
        "1-3 mild, 4-6 moderate, 7-10 severe; a change of 2 points or more is a real change.",
    ]
    if report.appointment is not None:
        who = f" with {report.appointment.with_whom}" if report.appointment.with_whom else ""
        lines.append(f"Prepared for the appointment on {long_date(report.appointment.date)}{who}.")
    pdf.para(" ".join(lines), size=8.5)
    pdf.set_text_color(*INK)


def _dose(pdf: _Pdf, report: VisitReport) -> None:
    pdf.heading(f"{report.diazepam}: dose and taper steps")
    if report.taper:
        pdf.grid(
            ["From", "Prescribed per day", "Times"],
            [
                [long_date(s.from_date), f"{s.daily_mg:g} mg", ", ".join(s.times) or "-"]
                for s in report.taper
            ],
            (40, 45, 95),
        )
    logged = (
        f"Logged in this period: {fmt(report.mean_daily_mg)} mg a day on average over "
        f"{report.dose_days} days with a dose."
        if report.dose_days
        else "No diazepam doses logged in this period."
    )
    pdf.para(logged)


def _symptoms(pdf: _Pdf, report: VisitReport) -> None:
    pdf.heading("Symptoms (0-10)")
    if not report.symptoms:
        pdf.para("No symptoms logged in this period.")
        return
    pdf.grid(SYMPTOM_HEADERS, symptom_rows(report), (40, 20, 16, 24, 80))


def _flags(pdf: _Pdf, report: VisitReport) -> None:
    pdf.heading("Red flags")
    if not report.flags:
        pdf.para("None.")
        return
    for flag in report.flags:
        pdf.para(flag_line(flag))


def _medicines(pdf: _Pdf, report: VisitReport) -> None:
    pdf.heading("Other medicines taken alongside diazepam")
    if not report.medicines:
        pdf.para("None logged.")
        return
    pdf.grid(
        ["Medicine", "Kind", "Days taken", "With diazepam", "Note"],
        [
            [m.name, m.category, str(m.days_taken), str(m.days_with_diazepam), m.warning]
            for m in report.medicines
        ],
        (32, 28, 20, 24, 76),
    )


def _questions(pdf: _Pdf, report: VisitReport) -> None:
    pdf.heading("Questions for the doctor")
    if not report.questions:
        pdf.para("No open questions.")
        return
    for question in report.questions:
        pdf.set_x(pdf.l_margin)
        pdf.set_font("Helvetica", size=9)
        pdf.cell(5, 4.6, "[  ]")
        pdf.set_x(pdf.l_margin + 7)
        pdf.multi_cell(0, 4.6, latin1(question.text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if question.facts:
            pdf.set_x(pdf.l_margin + 7)
            pdf.set_font("Helvetica", "I", 8)
            pdf.set_text_color(*MUTED)
            pdf.multi_cell(
                0,
                4,
                latin1(f"From the diary: {question.facts}"),
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
            pdf.set_text_color(*INK)
        pdf.ln(0.8)


# -- the chart ------------------------------------------------------------------------------


def _chart_section(pdf: _Pdf, report: VisitReport) -> None:
    pdf.heading("Leg pain against the diazepam dose")
    if not report.chart:
        pdf.para("Nothing logged.")
        return
    span = (
        "each day"
        if report.chart_bucket_days == 1
        else (f"means over {report.chart_bucket_days} days")
    )
    pdf.set_text_color(*MUTED)
    pdf.para(
        f"Red line: leg pain (left scale, 0-10). Grey bars: diazepam taken, mg a day (right "
        f"scale). Dashed lines: taper steps. Points are {span}; gaps are days not logged.",
        size=8,
    )
    pdf.set_text_color(*INK)
    _draw_chart(pdf, report, pdf.l_margin + 9, pdf.get_y() + 2, pdf.epw - 20, 52)
    pdf.set_y(pdf.get_y() + 2 + 52 + 9)


def _draw_chart(pdf: _Pdf, report: VisitReport, x: float, y: float, w: float, h: float) -> None:
    points = report.chart
    top_mg = max((p.diazepam_mg or 0 for p in points), default=0)
    top_mg = max(top_mg, max((s.daily_mg for s in report.taper), default=0), 1)
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
    # Taper steps.
    pdf.set_draw_color(*STEP)
    pdf.set_text_color(*STEP)
    for step in report.taper:
        slot_index = _index_of(points, step.from_date, report.chart_bucket_days)
        if slot_index is None:
            continue
        sx = x + slot_index * slot
        with pdf.local_context(dash_pattern={"dash": 1, "gap": 1}):
            pdf.line(sx, y, sx, y + h)
        pdf.text(sx + 0.8, y + 2.5, latin1(f"step: {step.daily_mg:g} mg/day"))
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
        if count <= 60 or alone:  # a day between two gaps would otherwise not show
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
        label = latin1(short_date(points[index].start))
        lx = x + index * slot + slot / 2 - pdf.get_string_width(label) / 2
        pdf.text(max(x - 2, lx), y + h + 4, label)
    pdf.set_text_color(*INK)


def _index_of(points: tuple[ChartPoint, ...], day: str, bucket: int) -> int | None:
    """The chart slot a date falls in, or None when it is outside the chart."""
    first = date.fromisoformat(points[0].start)
    offset = (date.fromisoformat(day) - first).days
    if offset < 0:
        return None
    index = offset // bucket
    return index if index < len(points) else None
