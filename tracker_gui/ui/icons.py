"""Icons from resources/icons/*.svg, tinted at paint time so they read in light and dark."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QIconEngine, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from tracker_gui import resources
from tracker_gui.ui import theme

# Icons with a meaning of their own keep that colour (a palette name from theme.LIGHT/DARK).
TINTS: dict[str, str] = {
    "type-task": "type_task",
    "type-bug": "type_bug",
    "type-story": "type_story",
    "type-epic": "type_epic",
    "type-subtask": "type_subtask",
    "priority-highest": "priority_highest",
    "priority-high": "priority_high",
    "priority-medium": "priority_medium",
    "priority-low": "priority_low",
    "priority-lowest": "priority_lowest",
    "warning": "warning",
}
APP_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


@cache
def _svg_text(name: str) -> str:
    return resources.path(f"icons/{name}.svg").read_text(encoding="utf-8")


_renderers: dict[tuple[str, str], QSvgRenderer] = {}


def _renderer(name: str, colour: QColor) -> QSvgRenderer:
    key = (name, colour.name(QColor.NameFormat.HexArgb))
    found = _renderers.get(key)
    if found is None:
        text = _svg_text(name).replace("currentColor", colour.name(QColor.NameFormat.HexRgb))
        if colour.alpha() < 255:
            text = text.replace("<svg ", f'<svg opacity="{colour.alphaF():.3f}" ', 1)
        found = QSvgRenderer(QByteArray(text.encode("utf-8")))
        _renderers[key] = found
    return found


class SvgIconEngine(QIconEngine):
    """Renders one SVG at any size and device pixel ratio, in the colour of the current theme."""

    def __init__(self, name: str, tint: str | QColor | None = None) -> None:
        super().__init__()
        self._name = name
        self._tint = tint

    def _colour(self, mode: QIcon.Mode) -> QColor:
        if mode == QIcon.Mode.Disabled:
            return theme.colour("faint_text")
        if isinstance(self._tint, QColor):
            return self._tint
        if self._tint:
            return theme.colour(self._tint)
        named = TINTS.get(self._name)
        return theme.colour(named or "text")

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        side = min(rect.width(), rect.height())
        box = QRectF(
            rect.x() + (rect.width() - side) / 2, rect.y() + (rect.height() - side) / 2, side, side
        )
        _renderer(self._name, self._colour(mode)).render(painter, box)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        pixmap = QPixmap(size * scale)
        pixmap.setDevicePixelRatio(scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        return pixmap

    def actualSize(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QSize:
        return size

    def clone(self) -> QIconEngine:
        return SvgIconEngine(self._name, self._tint)

    def key(self) -> str:
        return "tracker-svg"

    def iconName(self) -> str:
        return self._name


def icon(name: str, tint: str | QColor | None = None) -> QIcon:
    """The icon resources/icons/<name>.svg; `tint` is a theme colour name or a QColor.

    Raises FileNotFoundError for an unknown name.
    """
    _svg_text(name)  # fail now, not at first paint
    return QIcon(SvgIconEngine(name, tint))


def names() -> list[str]:
    """Every icon name shipped under resources/icons/."""
    folder = resources.path("icons/add.svg").parent
    return sorted(p.stem for p in folder.glob("*.svg"))


def app_icon() -> QIcon:
    """The application icon: PNG renders at the usual sizes plus the SVG for anything larger."""
    out = QIcon()
    for size in APP_ICON_SIZES:
        try:
            out.addFile(str(resources.path(f"icons/app/tracker-{size}.png")), QSize(size, size))
        except FileNotFoundError:
            continue
    if out.isNull():
        out.addFile(str(resources.path("icons/app/tracker.svg")))
    return out
