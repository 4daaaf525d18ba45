"""Paints one board card: type, key, due date, a two-line title, label chips, assignee, priority."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QIcon,
    QPainter,
    QPen,
    QPixmap,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
)

from tracker_gui.domain import people
from tracker_gui.domain.cards import Card, Shown
from tracker_gui.domain.models import Issue, Label, User
from tracker_gui.ui import theme
from tracker_gui.ui.board.card_badge import paint_badge
from tracker_gui.ui.board.card_frames import FrameCache
from tracker_gui.ui.board.card_times import CardTimes
from tracker_gui.ui.board.column_model import DoneRole, IssueRole
from tracker_gui.ui.icons import icon
from tracker_gui.ui.widgets import provisional
from tracker_gui.ui.widgets.card_style import (
    AVATAR,
    CARD_MARGIN_X,
    CHIP_HEIGHT,
    COMFORTABLE,
    ICON,
    STRIP_WIDTH,
    BoardColours,
    Density,
    board_colours,
    card_tooltip,
    label_chip,
    priority_colour,
    priority_icon_name,
    type_icon_name,
)

AnyIndex = QModelIndex | QPersistentModelIndex
CHIP_PAD = 7
CHIP_MAX = 112
SPACE = 6


def _sized(font: QFont, factor: float, weight: QFont.Weight | None = None) -> QFont:
    out = QFont(font)
    if font.pointSizeF() > 0:
        out.setPointSizeF(font.pointSizeF() * factor)
    elif font.pixelSize() > 0:
        out.setPixelSize(max(1, round(font.pixelSize() * factor)))
    if weight is not None:
        out.setWeight(weight)
    return out


@dataclass(frozen=True)
class _Fonts:
    title: QFont
    small: QFont
    small_bold: QFont
    initials: QFont
    title_m: QFontMetricsF
    small_m: QFontMetricsF
    top_h: float
    card_h: float


def due_text(due: dt.date, today: dt.date) -> str:
    days = (due - today).days
    if days == 0:
        return "Today"
    if days == 1:
        return "Tomorrow"
    if days == -1:
        return "Yesterday"
    text = f"{due:%b} {due.day}"
    return text if due.year == today.year else f"{text}, {due.year}"


def due_state(issue: Shown, done: bool, today: dt.date) -> str:
    """ "overdue", "soon" (within 3 days), "later" or "" (no due date)."""
    if issue.due is None:
        return ""
    if done:
        return "later"
    days = (issue.due - today).days
    return "overdue" if days < 0 else "soon" if days <= 3 else "later"


class CardDelegate(QStyledItemDelegate):
    """Card painter for the board's column views; cards have one height so lists lay out fast."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._people: dict[str, User] = {}
        self._labels: dict[str, str] = {}
        self._fonts: dict[str, _Fonts] = {}
        self._icons: dict[str, QIcon | None] = {}
        self._pixmaps: dict[tuple[str, str, int, float, bool], QPixmap] = {}
        self._titles: dict[tuple[str, str, int, int], list[str]] = {}
        self._frames = FrameCache()
        self._density = COMFORTABLE
        self.today = dt.date.today()
        self.times: CardTimes | None = None  # logged and remaining on cards (the board sets it)

    @property
    def density(self) -> Density:
        return self._density

    def set_density(self, density: Density) -> None:
        """Card size and spacing; the views must lay out again (the board does it)."""
        if density != self._density:
            self._density = density
            self._fonts.clear()

    # -- context the board provides ------------------------------------------------------
    def set_people(self, users: Iterable[User]) -> None:
        self._people = {u.username: u for u in users}

    def set_labels(self, labels: Iterable[Label]) -> None:
        self._labels = {label.name.casefold(): label.colour for label in labels}

    def knows(self, username: str) -> bool:
        return username in self._people

    def initials(self, username: str) -> str:
        return people.initials(username)  # the login's, never a display name's

    def person(self, username: str) -> str:
        """ "Alice Smith (alice)": the login always, the display name beside it if set."""
        user = self._people.get(username)
        return people.shown(username, user.display_name if user else "")

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: AnyIndex,
    ) -> bool:
        issue = index.data(IssueRole) if index.isValid() else None
        if event.type() == QEvent.Type.ToolTip and isinstance(issue, Issue):
            shown = self.person(issue.assignee) if issue.assignee else None
            QToolTip.showText(event.globalPos(), card_tooltip(issue, shown), view)
            return True
        return super().helpEvent(event, view, option, index)

    # -- metrics -------------------------------------------------------------------------
    def _fonts_for(self, font: QFont) -> _Fonts:
        key = font.key()
        found = self._fonts.get(key)
        if found is None:
            title = _sized(font, 1.0, QFont.Weight.Medium)
            small = _sized(font, 0.88)
            small_bold = _sized(font, 0.88, QFont.Weight.DemiBold)
            initials = _sized(font, 0.78, QFont.Weight.Bold)
            title_m, small_m = QFontMetricsF(title), QFontMetricsF(small)
            top_h = max(float(ICON), small_m.height())
            bottom_h = float(max(AVATAR, CHIP_HEIGHT))
            d = self._density
            lines = d.title_lines * title_m.lineSpacing()
            card_h = d.pad + top_h + 6 + lines + (8 if d.title_lines > 1 else 6) + bottom_h + d.pad
            found = _Fonts(title, small, small_bold, initials, title_m, small_m, top_h, card_h)
            self._fonts[key] = found
        return found

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        fonts = self._fonts_for(option.font)
        d = self._density
        return QSize(d.card_width + 2 * CARD_MARGIN_X, round(fonts.card_h) + d.gap)

    # -- painting ------------------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        issue = index.data(IssueRole)
        if not isinstance(issue, Issue | Card):
            super().paint(painter, option, index)
            return
        opt_rect = option.rect
        state = option.state
        fonts = self._fonts_for(option.font)
        colours = board_colours()
        selected = bool(state & QStyle.StateFlag.State_Selected)
        hovered = bool(state & QStyle.StateFlag.State_MouseOver)
        pad, gap = self._density.pad, self._density.gap
        card = QRectF(opt_rect).adjusted(CARD_MARGIN_X, gap / 2, -CARD_MARGIN_X, -gap / 2)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_frame(painter, card, issue, colours, selected, hovered)
        left = card.left() + STRIP_WIDTH + pad - 1
        right = card.right() - pad
        top = card.top() + pad
        done = bool(index.data(DoneRole))
        self._paint_top(painter, issue, fonts, colours, left, right, top, done)
        title_top = top + fonts.top_h + 6
        self._paint_title(painter, issue, fonts, colours, left, right, title_top)
        bottom = card.bottom() - pad
        times = self.times
        badge = times.text(issue.id, issue.project_id, index, option.widget) if times else ""
        self._paint_bottom(painter, issue, fonts, colours, left, right, bottom, badge)
        painter.restore()

    def _paint_frame(
        self,
        painter: QPainter,
        card: QRectF,
        issue: Shown,
        c: BoardColours,
        selected: bool,
        hovered: bool,
    ) -> None:
        self._frames.paint(painter, card, c, priority_colour(issue.priority), selected, hovered)

    def _paint_top(
        self,
        painter: QPainter,
        issue: Shown,
        f: _Fonts,
        c: BoardColours,
        left: float,
        right: float,
        top: float,
        done: bool,
    ) -> None:
        mid = top + f.top_h / 2
        self._paint_icon(painter, type_icon_name(issue.type), None, left, mid - ICON / 2, ICON)
        painter.setFont(f.small)
        painter.setPen(c.muted)
        baseline = mid + (f.small_m.ascent() - f.small_m.descent()) / 2
        # The key is drawn whole, always: the due chip takes what room is left beside it.
        key_left = left + ICON + SPACE
        # A provisional key (made offline, TRK-~1) in italics: not the issue's final number.
        key_font = provisional.key_font(f.small, issue.key)
        painter.setFont(key_font)
        painter.setPen(c.muted)
        painter.drawText(QPointF(key_left, baseline), issue.key)
        room_left = key_left + QFontMetricsF(key_font).horizontalAdvance(issue.key) + SPACE
        state = due_state(issue, done, self.today)
        if issue.due is None or not state:
            return
        font = f.small_bold if state in ("overdue", "soon") else f.small
        metrics = QFontMetricsF(font)
        colour = c.danger if state == "overdue" else c.warning if state == "soon" else c.muted
        pad = 6 if state == "overdue" else 0
        icon_size = ICON - 2
        chrome = 4 + icon_size + (2 * pad - 2 if pad else 0)  # the icon, the red pill's ends
        room = right - room_left - chrome
        if room < 0:
            return  # not even the icon fits beside the key
        # Longest first: "Overdue · Nov 16, 2025", "Nov 16, 2025", "Nov 16" (the red pill alone
        # says it is overdue); the shortest is elided when even it does not fit.
        full = due_text(issue.due, self.today)
        choices = [f"Overdue · {full}"] if state == "overdue" else []
        choices += [full, f"{issue.due:%b} {issue.due.day}"]
        fits = [t for t in choices if metrics.horizontalAdvance(t) <= room]
        text = (
            fits[0] if fits else metrics.elidedText(choices[-1], Qt.TextElideMode.ElideRight, room)
        )
        width = metrics.horizontalAdvance(text)
        text_x = right + (2 if pad else 0) - pad - width
        icon_x = text_x - 4 - icon_size
        if pad:
            pill = QRectF(icon_x - pad, mid - 9, right + 2 - (icon_x - pad), 18)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(c.danger_soft)
            painter.drawRoundedRect(pill, 9, 9)
        self._paint_icon(painter, "due", colour, icon_x, mid - icon_size / 2, icon_size)
        if text:
            painter.setFont(font)
            painter.setPen(colour)
            painter.drawText(QPointF(text_x, baseline), text)

    def _paint_title(
        self,
        painter: QPainter,
        issue: Shown,
        f: _Fonts,
        c: BoardColours,
        left: float,
        right: float,
        top: float,
    ) -> None:
        painter.setFont(f.title)
        painter.setPen(c.text)
        line_h = f.title_m.lineSpacing()
        for n, line in enumerate(self._title_lines(issue.title, f, right - left)):
            painter.drawText(QPointF(left, top + n * line_h + f.title_m.ascent()), line)

    def _title_lines(self, title: str, f: _Fonts, width: float) -> list[str]:
        """The title wrapped at word boundaries into the density's lines, the last elided."""
        most = self._density.title_lines
        key = (title, f.title.key(), int(width), most)
        found = self._titles.get(key)
        if found is not None:
            return found
        text = " ".join(title.split())
        layout = QTextLayout(text, f.title)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        lines: list[str] = []
        layout.beginLayout()
        while len(lines) < most:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            start, length = line.textStart(), line.textLength()
            if len(lines) == most - 1:
                rest = text[start:].strip()
                lines.append(f.title_m.elidedText(rest, Qt.TextElideMode.ElideRight, width))
            else:
                lines.append(text[start : start + length].rstrip())
        layout.endLayout()
        if len(self._titles) > 4000:
            self._titles.clear()
        self._titles[key] = lines
        return lines

    def _paint_bottom(
        self,
        painter: QPainter,
        issue: Shown,
        f: _Fonts,
        c: BoardColours,
        left: float,
        right: float,
        bottom: float,
        badge: str = "",
    ) -> None:
        mid = bottom - max(AVATAR, CHIP_HEIGHT) / 2
        avatar = QRectF(right - AVATAR, mid - AVATAR / 2, AVATAR, AVATAR)
        self._paint_avatar(painter, issue.assignee, f, c, avatar)
        prio_size = 16
        prio_left = avatar.left() - 4 - prio_size
        self._paint_icon(
            painter, priority_icon_name(issue.priority), None, prio_left, mid - prio_size / 2, 16
        )
        chip_room = self._first_chips(issue.labels, f)
        limit = paint_badge(
            painter, badge, f.small, c.muted, self._paint_icon, left + chip_room,
            prio_left - SPACE, mid,
        )  # fmt: skip
        self._paint_chips(painter, issue.labels, f, c, left, limit - SPACE, mid)

    def _first_chips(self, labels: tuple[str, ...], f: _Fonts) -> float:
        """Room for the first label chip and a "+N" after it: the time badge leaves that."""
        if not labels:
            return 0.0
        m = f.small_m
        room = min(m.horizontalAdvance(labels[0]) + 2 * CHIP_PAD, CHIP_MAX) + SPACE
        if len(labels) > 1:
            room += m.horizontalAdvance(f"+{len(labels) - 1}") + 2 * CHIP_PAD + SPACE
        return room

    def _paint_avatar(
        self, painter: QPainter, username: str | None, f: _Fonts, c: BoardColours, box: QRectF
    ) -> None:
        if username is None:
            pen = QPen(c.faint, 1.2, Qt.PenStyle.DashLine)
            pen.setDashPattern([2.5, 2.0])
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(box.adjusted(1, 1, -1, -1))
            self._paint_icon(painter, "user", c.faint, box.left() + 5, box.top() + 5, AVATAR - 10)
            return
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.avatar_colour(username))
        painter.drawEllipse(box)
        painter.setFont(f.initials)
        painter.setPen(c.avatar_text)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, self.initials(username))

    def _paint_chips(
        self,
        painter: QPainter,
        labels: tuple[str, ...],
        f: _Fonts,
        c: BoardColours,
        left: float,
        limit: float,
        mid: float,
    ) -> None:
        if not labels:
            return
        m = f.small_m

        def width_of(text: str) -> float:
            return min(m.horizontalAdvance(text) + 2 * CHIP_PAD, CHIP_MAX)

        x = left
        for n, name in enumerate(labels):
            hidden = len(labels) - n - 1
            need = width_of(name) + (SPACE + width_of(f"+{hidden}") if hidden else 0)
            if x + need > limit:
                self._paint_chip(painter, f"+{len(labels) - n}", None, f, c, x, mid)
                return
            x = self._paint_chip(painter, name, self._labels.get(name.casefold(), ""), f, c, x, mid)
            x += SPACE

    def _paint_chip(
        self,
        painter: QPainter,
        text: str,
        stored: str | None,
        f: _Fonts,
        c: BoardColours,
        x: float,
        mid: float,
    ) -> float:
        m = f.small_m
        shown = m.elidedText(text, Qt.TextElideMode.ElideRight, CHIP_MAX - 2 * CHIP_PAD)
        width = m.horizontalAdvance(shown) + 2 * CHIP_PAD
        if stored is None:  # the "+N" overflow chip
            background, colour = QColor(c.border), QColor(c.muted)
            background.setAlphaF(0.6)
        else:
            background, colour = label_chip(text, stored)
        box = QRectF(x, mid - CHIP_HEIGHT / 2, width, CHIP_HEIGHT)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(background)
        painter.drawRoundedRect(box, CHIP_HEIGHT / 2, CHIP_HEIGHT / 2)
        painter.setFont(f.small)
        painter.setPen(colour)
        baseline = mid + (m.ascent() - m.descent()) / 2
        painter.drawText(QPointF(x + CHIP_PAD, baseline), shown)
        return x + width

    def _paint_icon(
        self, painter: QPainter, name: str, tint: QColor | None, x: float, y: float, size: float
    ) -> None:
        if name not in self._icons:
            try:
                self._icons[name] = icon(name)
            except FileNotFoundError:
                self._icons[name] = None
        base = self._icons[name]
        if base is None:
            return
        ratio = painter.device().devicePixelRatioF() if painter.device() else 1.0
        side = round(size)
        tint_key = tint.name(QColor.NameFormat.HexArgb) if tint is not None else ""
        key = (name, tint_key, side, ratio, theme.is_dark())
        pixmap = self._pixmaps.get(key)
        if pixmap is None:
            source = icon(name, tint) if tint is not None else base
            pixmap = source.pixmap(QSize(side, side), ratio)
            if len(self._pixmaps) > 400:
                self._pixmaps.clear()
            self._pixmaps[key] = pixmap
        painter.drawPixmap(QRectF(x, y, size, size), pixmap, QRectF(pixmap.rect()))
