"""Charts: symptoms over time, around the dose, by time of day and weekday, before / after.

Keyboard only. Data is summed in SQL to about one bucket per chart column and loaded in a
thread worker on its own connection; every chart has a line of plain numbers beneath it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Static

from diazlog.domain.chart_words import before_after_words, hour_words, lag_words, weekday_words
from diazlog.domain.dose_changes import dose_marks
from diazlog.domain.models import Symptom
from diazlog.domain.numbers import count
from diazlog.domain.trend_groups import (
    LAG_BIN_HOURS,
    MAX_LAG_HOURS,
    TIME_OF_DAY_BIN_HOURS,
    GroupMean,
)
from diazlog.domain.visible_text import one_line
from diazlog.screens.base import DiaryScreen
from diazlog.screens.chart_data import (
    RANGES,
    VIEWS,
    AroundDoseChart,
    BeforeAfterChart,
    Chart,
    ChartRequest,
    OverTimeChart,
    TimeOfDayChart,
    load_chart,
    no_onsets_message,
)
from diazlog.store.queries.symptoms import list_symptoms
from diazlog.widgets.chart_paint import (
    DAILY_NO_COLOR_MARKER,
    before_after_painter,
    doses_painter,
    groups_painter,
    named_line,
    rating_lines_painter,
    symptom_bar,
    x_ticks,
)
from diazlog.widgets.chart_panel import ChartPanel, ChartStyle, style_for
from diazlog.widgets.key_bar import KeyBar
from diazlog.widgets.title_bar import TitleBar

# Toggle keys for symptoms, in their list order: leg pain p, leg weakness w, cramps r,
# spasms s, fatigue f, rebound tension b, then the user's own. None clash with the app's
# t c d h m ? or this screen's digits, v, [ and ].
SYMPTOM_KEYS = "pwrsfbgjklnouxyzie"
RANGE_KEYS = dict(zip("12345", RANGES, strict=True))
# Columns of a chart that are not plot area: y labels, frame, padding.
CHART_MARGIN = 10

_RANGE = Binding.Group("Range", compact=True)
_SYMPTOMS = Binding.Group("Symptoms", compact=True)


@dataclass(frozen=True)
class _Shown:
    """The chart on screen and the request it answers (for tests: what each chart got)."""

    request: ChartRequest
    chart: Chart


class ChartsScreen(DiaryScreen):
    """Four views of the diary; keys pick the view, the range and the symptoms."""

    BINDINGS = [
        Binding("v,tab", "next_view", "View", tooltip="Cycle the four views"),
        Binding("shift+tab", "previous_view", "Previous view", show=False),
        *(
            Binding(key, f"set_range('{name}')", RANGES[name][0], group=_RANGE)
            for key, name in RANGE_KEYS.items()
        ),
        *(
            Binding(key, f"toggle_symptom({index})", "Show or hide a symptom", group=_SYMPTOMS)
            for index, key in enumerate(SYMPTOM_KEYS)
        ),
        Binding("left_square_bracket", "change(1)", "Older change", key_display="["),
        Binding("right_square_bracket", "change(-1)", "Newer change", key_display="]"),
    ]
    HELP = (
        "Charts: v or tab cycles Over time, Around the dose, Time of day / weekday and "
        "Before / after. 1-5 pick the range (7 days, 30 days, 90 days, 1 year, all). The "
        "letter before each symptom on the bar toggles it. In Before / after, [ and ] pick "
        "an older or newer dose change. Under each chart, its numbers in plain words, each "
        "with how many days or onsets it rests on; 'worst', 'highest', 'worse' or 'better' "
        "only with 7 logged days (5 onsets) on each side and 2 points apart. Diazepam lasts "
        "for days, so Around the dose shows when symptoms began, not a dose wearing off."
    )

    class Loaded(Message):
        """A worker finished loading `chart` for `request`."""

        def __init__(self, request: ChartRequest, chart: Chart) -> None:
            super().__init__()
            self.request = request
            self.chart = chart

    def __init__(self) -> None:
        super().__init__()
        self.view = "over_time"
        self.range_key = "30d"
        self.change = 0
        self.symptoms: list[Symptom] = []
        self.selected: set[int] = set()
        self.shown: _Shown | None = None
        self._request: ChartRequest | None = None
        self._slow: Timer | None = None
        self._resize: Timer | None = None

    # -- building ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="chart-bar")
        yield Static("", id="symptom-bar")
        with ContentSwitcher(initial="over_time", id="views"):
            with Vertical(id="over_time"):
                yield ChartPanel(id="symptom-chart")
                yield ChartPanel(id="dose-chart")
                yield Static("", id="over_time-numbers", classes="numbers")
            with Vertical(id="around_dose"):
                yield ChartPanel(id="lag-chart")
                yield Static("", id="around_dose-numbers", classes="numbers")
            with Vertical(id="time_of_day"):
                with Horizontal(id="time-charts"):
                    yield ChartPanel(id="hour-chart")
                    yield ChartPanel(id="weekday-chart")
                yield Static("", id="time_of_day-numbers", classes="numbers")
            with Vertical(id="before_after"):
                yield Static("", id="change-line")
                yield ChartPanel(id="change-chart")
                yield Static("", id="before_after-numbers", classes="numbers")
        yield KeyBar()

    def reload_data(self) -> None:
        """Symptoms and data changed (on another screen or in another process): reload."""
        self.mark_loaded()
        # Names as shown: escaped once here, as every label, title and plot legend uses them.
        symptoms = [
            replace(s, name=one_line(s.name))
            for s in list_symptoms(self.app.db)  # type: ignore[attr-defined]
        ]
        if symptoms != self.symptoms:
            self.symptoms = symptoms
            self.refresh_bindings()  # a symptom key may have come or gone
        known = {s.id for s in self.symptoms}
        if not self.selected & known:
            default = next((s for s in self.symptoms if s.key == "leg_pain"), None)
            default = default or (self.symptoms[0] if self.symptoms else None)
            self.selected = {default.id} if default else set()
        self.selected &= known
        self.reload()

    def on_resize(self) -> None:
        """A different width means a different number of buckets: reload once it settles."""
        if self._request is None or self._columns() == self._request.columns:
            return
        if self._resize is not None:
            self._resize.stop()
        self._resize = self.set_timer(0.2, self.reload)

    # -- loading ----------------------------------------------------------------------------

    def _columns(self) -> int:
        return max(10, self.app.size.width - CHART_MARGIN)

    def request(self) -> ChartRequest:
        chosen = tuple(s for s in self.symptoms if s.id in self.selected)
        return ChartRequest(
            view=self.view,
            range_key=self.range_key,
            symptoms=tuple(self.symptoms) if self.view == "before_after" else chosen,
            today=self.today().isoformat(),
            columns=self._columns(),
            change=self.change,
        )

    def reload(self) -> None:
        """Load the current view's data in a worker; show a spinner only if it is slow."""
        self._request = self.request()
        self._show_bars()
        if self._slow is not None:
            self._slow.stop()
        self._slow = self.set_timer(0.3, self._show_loading)
        self._load(self._request)

    def _show_loading(self) -> None:
        self.query_one("#views").loading = True

    @work(thread=True, exclusive=True, group="charts")
    def _load(self, request: ChartRequest) -> None:
        from diazlog.store import open_database

        db = open_database(self.app.db_path, create=False)  # type: ignore[attr-defined]
        try:
            chart = load_chart(db, request)
        finally:
            db.close()
        self.post_message(self.Loaded(request, chart))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        if event.request != self._request:
            return  # a newer request is on its way
        if self._slow is not None:
            self._slow.stop()
        self.query_one("#views").loading = False
        self.shown = _Shown(event.request, event.chart)
        style = style_for(self.app)
        with self.app.batch_update():
            self.query_one(ContentSwitcher).current = event.request.view
            chart = event.chart
            if isinstance(chart, OverTimeChart):
                self._draw_over_time(chart, style)
            elif isinstance(chart, AroundDoseChart):
                self._draw_around_dose(chart, style)
            elif isinstance(chart, TimeOfDayChart):
                self._draw_time_of_day(chart, style)
            else:
                self._draw_before_after(chart, style)
            self._show_bars()

    # -- the bars above the charts ------------------------------------------------------------

    def _show_bars(self) -> None:
        bar = Text()
        bar.append("v ", style="bold")
        bar.append(f" {VIEWS[self.view]} ", style="bold reverse")
        if self.view != "before_after":
            bar.append("   1-5 ", style="bold")
            for key in RANGES:
                label = RANGES[key][0]
                if key == self.range_key:
                    bar.append(f"[{label}]", style="bold reverse")
                else:
                    bar.append(f" {label} ", style="dim")
        self.query_one("#chart-bar", Static).update(bar)
        symptom_bar = self.query_one("#symptom-bar", Static)
        symptom_bar.display = self.view != "before_after"
        symptom_bar.update(self._symptom_bar())
        self.sub_title = f"{VIEWS[self.view]} · {self._range_words()}"
        self.title = "Charts"

    def _range_words(self) -> str:
        if self.view == "before_after":
            return "up to 30 days either side, to the next change"
        return "all days" if self.range_key == "all" else f"last {RANGES[self.range_key][0]}"

    def _symptom_bar(self) -> Text:
        return symptom_bar(
            [s.name for s in self.symptoms[: len(SYMPTOM_KEYS)]],
            [s.id in self.selected for s in self.symptoms],
            SYMPTOM_KEYS,
            style_for(self.app),
        )

    def _index_of(self, symptom: Symptom) -> int:
        return next((i for i, s in enumerate(self.symptoms) if s.id == symptom.id), 0)

    # -- drawing ------------------------------------------------------------------------------

    def _numbers(self, view: str, lines: list[Text | str]) -> None:
        text = Text()
        for number, line in enumerate(lines):
            if number:
                text.append("\n")
            text.append(line)
        self.query_one(f"#{view}-numbers", Static).update(text)

    def _named(self, symptom: Symptom, style: ChartStyle, rest: str) -> Text:
        return named_line(symptom.name, self._index_of(symptom), style, rest)

    def _draw_over_time(self, chart: OverTimeChart, style: ChartStyle) -> None:
        top = self.query_one("#symptom-chart", ChartPanel)
        bottom = self.query_one("#dose-chart", ChartPanel)
        words = self._range_words()
        if chart.first_logged is None:
            top.show_message("Nothing logged yet.\nPress t to log today: charts start from there.")
            bottom.show_message("")
            self._numbers("over_time", ["No days logged yet."])
            return
        if chart.days_logged == 0:
            top.show_message(f"Nothing logged in the {words}.\nPress 5 to see all days.")
            bottom.show_message("")
            self._numbers("over_time", [f"No days logged in the {words}."])
            return
        long_range = chart.bucket_days > 3 or len(chart.starts) * chart.bucket_days > 120
        ticks = x_ticks(chart.starts, max(2, self._columns() // 14), long_range)
        last = len(chart.starts) - 0.5
        drawn = [line for line in chart.lines if line.summary.days_logged]
        if not chart.lines:
            top.show_message("No symptom chosen: press p for leg pain (keys on the bar above).")
        elif not drawn:
            names = ", ".join(line.symptom.name for line in chart.lines)
            top.show_message(f"{names}: not logged in the {words}.")
        elif chart.days_logged == 1:
            top.show_message(
                "Only one day logged so far: a chart needs two.\nIts numbers are below."
            )
        else:
            painted = [(self._index_of(ln.symptom), ln.values, ln.rolling) for ln in drawn]
            top.draw(rating_lines_painter(painted, chart.bucket_days < 7, last, style))
        marks = dose_marks(chart.dose_mg)
        if chart.dose is None:
            bottom.show_message("No diazepam set up: press m (Medicines) to add it.")
        elif not marks.bar_x and not marks.zero_x:
            bottom.show_message("No diazepam logged in this range.")
        else:
            bottom.draw(doses_painter(marks, last, ticks, style))
        if chart.bucket_days >= 7:
            what = f"line: mean per {chart.bucket_days} days"
        elif style.no_color:
            what = f"{DAILY_NO_COLOR_MARKER} each day, the symptom's mark: 7-day mean"
        else:
            what = "dots: each day, line: 7-day mean"
        lines: list[Text | str] = [
            self._named(line.symptom, style, line.summary.describe()) for line in chart.lines
        ]
        lines.append(f"{chart.dose_summary} · {what}")
        self._numbers("over_time", lines)

    def _draw_around_dose(self, chart: AroundDoseChart, style: ChartStyle) -> None:
        panel = self.query_one("#lag-chart", ChartPanel)
        words = self._range_words()
        with_data = [(s, lag) for s, lag in chart.lags if lag.count]
        lines: list[Text | str] = []
        for symptom, lag in chart.lags:
            lines.append(self._named(symptom, style, lag_words(lag)))
        if not chart.lags:
            panel.show_message("No symptom chosen: press p for leg pain (keys on the bar above).")
        elif chart.doses == 0:
            panel.show_message(f"No diazepam doses logged in the {words}.")
        elif not with_data:
            chosen = [symptom for symptom, _ in chart.lags]
            panel.show_message(no_onsets_message(chosen, self.symptoms, chart.onsets, words))
        else:
            self._draw_groups(
                panel,
                tuple((symptom, lag.bins) for symptom, lag in chart.lags),
                style,
                "",
                labels=[f"{h}h" for h in range(0, MAX_LAG_HOURS, LAG_BIN_HOURS)],
                xlabel="hours since the last diazepam dose",
            )
        lines.append(
            f"{count(chart.doses, 'diazepam dose')} in the {words}; onset = time a symptom began. "
            "Diazepam lasts for days: this shows when symptoms began, not a dose wearing off."
        )
        self._numbers("around_dose", lines)

    def _draw_groups(
        self,
        panel: ChartPanel,
        groups: tuple[tuple[Symptom, tuple[GroupMean, ...]], ...],
        style: ChartStyle,
        empty: str,
        labels: list[str] | None = None,
        xlabel: str = "",
    ) -> None:
        """Bars per group (hour, weekday, hours since a dose), one colour per symptom."""
        filled = [(s, g) for s, g in groups if any(m.count for m in g)]
        if not filled:
            panel.show_message(empty)
            return
        names = labels or [m.label for m in filled[0][1]]
        indexed = [(self._index_of(s), g) for s, g in filled]
        panel.draw(groups_painter(names, indexed, style, xlabel))

    def _draw_time_of_day(self, chart: TimeOfDayChart, style: ChartStyle) -> None:
        words = self._range_words()
        if not chart.hours:
            message = "No symptom chosen: press p for leg pain."
            self.query_one("#hour-chart", ChartPanel).show_message(message)
            self.query_one("#weekday-chart", ChartPanel).show_message("")
            self._numbers("time_of_day", [message])
            return
        self._draw_groups(
            self.query_one("#hour-chart", ChartPanel),
            chart.hours,
            style,
            no_onsets_message(
                [symptom for symptom, _ in chart.hours], self.symptoms, chart.onsets, words
            ),
            labels=[f"{h}h" for h in range(0, 24, TIME_OF_DAY_BIN_HOURS)],
        )
        self._draw_groups(
            self.query_one("#weekday-chart", ChartPanel),
            chart.weekdays,
            style,
            f"Not logged in the {words}.",
        )
        lines: list[Text | str] = []
        for (symptom, hours), (_, weekdays) in zip(chart.hours, chart.weekdays, strict=True):
            lines.append(self._named(symptom, style, hour_words(hours)))
            lines.append(f"  {weekday_words(weekdays)}")
        lines.append("Left: mean by the hour it began (onset). Right: mean by weekday.")
        self._numbers("time_of_day", lines)

    def _draw_before_after(self, chart: BeforeAfterChart, style: ChartStyle) -> None:
        panel = self.query_one("#change-chart", ChartPanel)
        change = chart.change
        change_line = self.query_one("#change-line", Static)
        if change is None:
            change_line.update("No dose changes yet.")
            panel.show_message(
                "Before / after needs a dose change: a taper step (m, Medicines) or a lasting "
                "change in the diazepam you log."
            )
            self._numbers("before_after", [""])
            return
        position = f"{chart.index + 1} of {len(chart.changes)}"
        change_line.update(
            Text.assemble(
                ("[ ", "bold"),
                "older ",
                ("] ", "bold"),
                f"newer   {change.describe()} · {position} · every symptom",
                *(("\n", chart.window.describe()) if chart.window else ()),
            )
        )
        rows = [(s, ba) for s, ba in chart.rows if ba.before_days or ba.after_days]
        if not rows:
            panel.show_message("No symptoms logged in the days either side of this change.")
        else:
            panel.draw(before_after_painter([(s.name, ba) for s, ba in rows], style))
        lines: list[Text | str] = [
            self._named(symptom, style, before_after_words(ba)) for symptom, ba in chart.rows
        ]
        self._numbers("before_after", lines)

    # -- actions ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_symptom":
            index = int(parameters[0])  # type: ignore[call-overload]
            return index < len(self.symptoms) and self.view != "before_after"
        if action == "set_range":
            return self.view != "before_after"
        if action == "change":
            return self.view == "before_after"
        return True

    def _cycle(self, step: int) -> None:
        names = list(VIEWS)
        self.view = names[(names.index(self.view) + step) % len(names)]
        self.refresh_bindings()
        self.reload()

    def action_next_view(self) -> None:
        self._cycle(1)

    def action_previous_view(self) -> None:
        self._cycle(-1)

    def action_set_range(self, key: str) -> None:
        self.range_key = key
        self.reload()

    def action_toggle_symptom(self, index: int) -> None:
        if index >= len(self.symptoms):
            return
        symptom_id = self.symptoms[index].id
        self.selected ^= {symptom_id}
        self.reload()

    def action_change(self, step: int) -> None:
        shown = self.shown.chart if self.shown else None
        count = len(shown.changes) if isinstance(shown, BeforeAfterChart) else 0
        if not count:
            return
        self.change = max(0, min(count - 1, self.change + step))
        self.reload()

    def show(self, view: str, range_key: str | None = None) -> None:
        """Open a view (and range) directly, e.g. from the command palette."""
        self.view = view
        if range_key:
            self.range_key = range_key
        self.refresh_bindings()
        self.reload()
