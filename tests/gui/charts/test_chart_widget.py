"""The chart on screen: values under the pointer, a scatter dot's label, the theme it follows."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.gui import report_samples
from tracker_gui.ui import theme
from tracker_gui.ui.charts import style
from tracker_gui.ui.charts.widget import ChartWidget


def shown_chart(qtbot: QtBot, report: object) -> ChartWidget:
    chart = ChartWidget()
    qtbot.addWidget(chart)
    chart.resize(800, 480)
    chart.set_report(report)  # type: ignore[arg-type]
    chart.show()
    qtbot.waitExposed(chart)
    return chart


def test_hovering_a_burndown_day_shows_each_series_and_the_scope_change(qtbot: QtBot) -> None:
    chart = shown_chart(qtbot, report_samples.burndown())
    plot = chart.plot()
    assert plot is not None
    x = round(plot.positions[7])
    qtbot.mouseMove(chart, QPoint(x, round(plot.area.center().y())))
    assert chart.hover_text().splitlines() == [
        "Mon 7 Dec 2026",
        "Remaining: 16 issues",
        "Ideal: 9.23 issues",
        "Scope: 22 issues",
        "+2 issues",
    ]


def test_hovering_a_velocity_bar_names_the_sprint(qtbot: QtBot) -> None:
    chart = shown_chart(qtbot, report_samples.velocity())
    plot = chart.plot()
    assert plot is not None
    text = chart.hover_at(QPoint(round(plot.positions[2]), round(plot.area.bottom()) - 5))
    assert text.splitlines() == ["Sprint 7", "Committed: 16 issues", "Completed: 16 issues"]


def test_hovering_a_scatter_dot_shows_its_issue(qtbot: QtBot) -> None:
    report = report_samples.cycle_time()
    chart = shown_chart(qtbot, report)
    plot = chart.plot()
    assert plot is not None and len(plot.dots) == len(report.points)
    x, y, point = max(plot.dots, key=lambda d: d[2].y)  # the slowest issue stands alone
    assert chart.hover_at(QPoint(round(x) + 2, round(y) - 2)) == point.label
    assert chart.hover_at(QPoint(round(plot.area.left()) + 1, round(plot.area.top()) + 1)) == ""


def test_the_pointer_off_the_plot_shows_nothing(qtbot: QtBot) -> None:
    chart = shown_chart(qtbot, report_samples.throughput())
    assert chart.hover_at(QPoint(3, 3)) == ""


def test_the_chart_follows_the_window_theme(qtbot: QtBot) -> None:
    chart = shown_chart(qtbot, report_samples.velocity())
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        theme.apply_theme(app, "dark")
        dark = chart.grab().toImage()
        assert dark.pixelColor(2, 2) == QColor(theme.DARK["base_bg"])
        theme.apply_theme(app, "light")
        light = chart.grab().toImage()
        assert light.pixelColor(2, 2) == QColor(theme.LIGHT["base_bg"])
        plot = chart.plot()
        assert plot is not None
        bar = light.pixelColor(round(plot.positions[0]) - 10, round(plot.area.bottom()) - 4)
        assert bar == QColor(style.SERIES_LIGHT[0])
    finally:
        theme.apply_theme(app, "light")


def test_an_empty_report_has_nothing_to_hover(qtbot: QtBot) -> None:
    chart = shown_chart(qtbot, report_samples.empty())
    assert chart.plot() is None
    assert chart.hover_at(QPoint(400, 240)) == ""


def test_hovering_a_bar_group_shades_its_band_behind_the_bars(qtbot: QtBot) -> None:
    chart = shown_chart(qtbot, report_samples.velocity())
    plot = chart.plot()
    assert plot is not None
    top = round(plot.y_px(plot.high)) + 3  # above every bar, below the top grid line
    hovered, other = round(plot.positions[3]), round(plot.positions[5])
    before = chart.grab().toImage()
    assert before.pixelColor(hovered, top) == before.pixelColor(other, top)
    chart.hover_at(QPoint(hovered, top))
    after = chart.grab().toImage()
    assert after.pixelColor(hovered, top) != before.pixelColor(hovered, top)
    assert after.pixelColor(other, top) == before.pixelColor(other, top)
    bar = round(plot.y_px(5.0))  # inside the bars: they stay their own colour
    assert after.pixelColor(hovered - 10, bar) == before.pixelColor(hovered - 10, bar)


def test_the_keyboard_walks_the_days_and_the_scatter_dots(qtbot: QtBot) -> None:
    chart = shown_chart(qtbot, report_samples.burndown())
    chart.setFocus()
    for _ in range(3):
        qtbot.keyClick(chart, Qt.Key.Key_Right)
    assert chart.hover_text().splitlines()[:2] == ["Wed 2 Dec 2026", "Remaining: 19 issues"]
    qtbot.keyClick(chart, Qt.Key.Key_End)
    assert chart.hover_text().splitlines()[0] == "Sun 13 Dec 2026"
    assert chart.accessibleDescription() == chart.hover_text()
    qtbot.keyClick(chart, Qt.Key.Key_Right)  # stays on the last day
    assert chart.hover_text().splitlines()[0] == "Sun 13 Dec 2026"
    qtbot.keyClick(chart, Qt.Key.Key_Home)
    assert chart.hover_text().splitlines()[0] == "Mon 30 Nov 2026"

    report = report_samples.cycle_time()
    chart.set_report(report)
    qtbot.keyClick(chart, Qt.Key.Key_Right)
    first = min(report.points, key=lambda p: (p.x, -p.y))
    assert chart.hover_text() == first.label
