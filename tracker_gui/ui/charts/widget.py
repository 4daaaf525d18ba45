"""A chart on screen: paints a `Report` in the window's colours, shows values under the pointer."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, QSize, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from tracker_gui.services.report_types import Report
from tracker_gui.ui import theme
from tracker_gui.ui.charts import geometry, hover, painter
from tracker_gui.ui.charts.geometry import Plot
from tracker_gui.ui.charts.style import ChartStyle, current_style


class ChartWidget(QWidget):
    """Draws one report; a crosshair and a tooltip follow the pointer across the plot."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReportChart")
        self.setMouseTracking(True)
        self.setMinimumSize(320, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Left/Right walk the entries
        self._report: Report | None = None
        self._plot: Plot | None = None
        self._hover_index: int | None = None
        self._hover_text = ""
        self._dot_cursor = -1  # the scatter dot the keyboard is on (in order of x)
        theme.notifier.changed.connect(self._on_theme_changed)

    def sizeHint(self) -> QSize:
        return QSize(720, 420)

    def report(self) -> Report | None:
        return self._report

    def set_report(self, report: Report | None) -> None:
        self._report = report
        self._plot = None
        self._clear_hover()
        self.setAccessibleName(f"Chart: {report.title}" if report else "Chart")
        self.setAccessibleDescription(report.subtitle if report else "")
        self.update()

    def plot(self) -> Plot | None:
        """Where the entries and dots are drawn now (None while empty)."""
        return self._laid_out()

    def hover_text(self) -> str:
        """What the tooltip shows now ("" when the pointer is off the plot)."""
        return self._hover_text

    def hover_at(self, pos: QPoint) -> str:
        """Move the crosshair to `pos` (widget coordinates); returns the text shown there."""
        plot, report = self._laid_out(), self._report
        text, index = "", None
        if plot is not None and report is not None:
            dot = plot.dot_at(pos.x(), pos.y())
            if dot is not None:
                text = dot.label
            elif report.series:
                index = plot.index_at(pos.x())
                text = hover.entry_text(report, index) if index is not None else ""
        changed = index != self._hover_index or text != self._hover_text
        self._hover_index, self._hover_text = index, text
        if changed:
            self.update()
        return text

    def _laid_out(self) -> Plot | None:
        if self._plot is None and self._report is not None:
            # Lay out on a scratch image when asked before the first paint (a test, a fast hover).
            image = QImage(max(self.width(), 1), max(self.height(), 1), QImage.Format.Format_RGB32)
            scratch = QPainter(image)
            self._plot = painter.paint(scratch, QSizeF(self.size()), self._report, self._style())
            scratch.end()
        return self._plot

    def _style(self) -> ChartStyle:
        return current_style(self.font())

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        style = self._style()
        if self._report is None:
            p.fillRect(self.rect(), style.background)
            p.end()
            return
        self._plot = painter.paint(p, QSizeF(self.size()), self._report, style, self._hover_index)
        if self._plot is not None and self._hover_index is not None:
            self._paint_crosshair(p, self._plot, self._hover_index, style)
        if self.hasFocus():  # keyboard users see where Left/Right will act
            p.setPen(QPen(theme.colour("accent"), 1))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(self.rect().adjusted(0, 0, -1, -1))
        p.end()

    def _paint_crosshair(self, p: QPainter, plot: Plot, index: int, style: ChartStyle) -> None:
        assert self._report is not None
        if index >= len(plot.positions):
            return
        x = plot.positions[index]
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if plot.band:
            return  # bars: the painter shaded the hovered band behind them
        p.setPen(QPen(style.crosshair, 1))
        p.drawLine(QPointF(x, plot.area.top()), QPointF(x, plot.area.bottom()))
        tops = geometry.stack_tops(self._report)
        for n, series in enumerate(self._report.series):
            value = tops[n][index] if index < len(tops[n]) else None
            if value is None or series.style == "bar":
                continue
            colour = QColor(painter.series_colour(style, n, series))
            p.setPen(QPen(style.background, 1.5))
            p.setBrush(colour)
            p.drawEllipse(QPointF(x, plot.y_px(value)), 4, 4)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        text = self.hover_at(event.position().toPoint())
        if text:
            QToolTip.showText(event.globalPosition().toPoint(), text, self)
        else:
            QToolTip.hideText()
        super().mouseMoveEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Left/Right (Home/End) move to the previous/next entry or scatter dot and show it."""
        plot, report = self._laid_out(), self._report
        moves = {
            Qt.Key.Key_Left: -1,
            Qt.Key.Key_Right: 1,
            Qt.Key.Key_Home: -(10**9),
            Qt.Key.Key_End: 10**9,
        }
        step = moves.get(Qt.Key(event.key()))
        if plot is None or report is None or step is None:
            super().keyPressEvent(event)
            return
        if report.series and plot.positions:
            last = len(plot.positions) - 1
            start = (
                self._hover_index
                if self._hover_index is not None
                else (-1 if step > 0 else last + 1)
            )
            index = min(max(start + step, 0), last)
            where = QPoint(round(plot.positions[index]), round(plot.area.center().y()))
            self._hover_index, self._hover_text = index, hover.entry_text(report, index)
        elif plot.dots:
            dots = sorted(plot.dots, key=lambda d: (d[0], -d[1]))
            self._dot_cursor = min(max(self._dot_cursor + step, 0), len(dots) - 1)
            x, y, point = dots[self._dot_cursor]
            where = QPoint(round(x), round(y))
            self._hover_text = point.label
        else:
            super().keyPressEvent(event)
            return
        self.setAccessibleDescription(self._hover_text)
        QToolTip.showText(self.mapToGlobal(where), self._hover_text, self)
        self.update()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def leaveEvent(self, event: QEvent) -> None:
        self._clear_hover()
        self.update()
        super().leaveEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._plot = None  # laid out again at the next paint
        super().resizeEvent(event)

    def _clear_hover(self) -> None:
        self._hover_index, self._hover_text, self._dot_cursor = None, "", -1

    def _on_theme_changed(self, _dark: bool) -> None:
        self.update()
