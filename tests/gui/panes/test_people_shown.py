"""A person is shown by login, with the display name beside it: a copied name fools no one."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QHelpEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QListView, QStyleOptionViewItem, QToolTip
from pytestqt.qtbot import QtBot

from tests.gui.pane_helpers import (
    OFFSCREEN_NOISE,
    World,
)
from tracker_gui.ui.board.card_delegate import CardDelegate
from tracker_gui.ui.board.column_model import IssueRole
from tracker_gui.ui.panes.detail_pane import DetailPane

pytestmark = OFFSCREEN_NOISE


def test_comment_authors_show_the_login_beside_the_display_name(
    world: World, pane: DetailPane
) -> None:
    bug = world.issues["bug"]
    world.connect("bob").issues.comment(bug.id, "from the real bob")
    mallory = world.connect("mallory")
    mallory.projects.ensure_user("mallory", "Bob Chen")  # copies bob's display name
    mallory.issues.comment(bug.id, "trust me, I am bob")
    world.connect("dave").issues.comment(bug.id, "hello")
    world.store.poll()
    pane.show_issue(bug.id)
    authors = [card.author.text() for card in pane.comments.cards]
    assert authors == [
        "<b>Bob Chen (bob)</b>",
        "<b>Bob Chen (mallory)</b>",
        "<b>dave</b>",
    ]


def test_people_fields_show_the_login(world: World, pane: DetailPane) -> None:
    pane.show_issue(world.issues["theirs"].id)
    assert pane.fields.reporter_label.text() == "Bob Chen (bob)"
    pane.show_issue(world.issues["docs"].id)
    assert pane.fields.assignee_combo.currentText() == "Bob Chen (bob)"


def test_card_initials_and_tooltip_come_from_the_login(world: World, qtbot: QtBot) -> None:
    world.connect("mallory").projects.ensure_user("mallory", "Alice Martin")
    delegate = CardDelegate()
    delegate.set_people(world.store.users())
    assert delegate.initials("alice") == "AL"
    assert delegate.initials("mallory") == "MA"  # not "AM" from the copied name
    assert delegate.person("mallory") == "Alice Martin (mallory)"
    assert delegate.person("alice") == "Alice Martin (alice)"
    assert delegate.person("someone.gone") == "someone.gone"
    # The card's tooltip, as hovering shows it.
    issue = world.store.issue(world.issues["docs"].id)
    model = QStandardItemModel()
    item = QStandardItem()
    item.setData(issue, IssueRole)
    model.appendRow(item)
    view = QListView()
    view.setModel(model)
    view.setItemDelegate(delegate)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    index = model.index(0, 0)
    spot = view.visualRect(index).center()
    event = QHelpEvent(QEvent.Type.ToolTip, spot, view.viewport().mapToGlobal(spot))
    assert delegate.helpEvent(event, view, QStyleOptionViewItem(), index)
    assert "Assignee: Bob Chen (bob)" in QToolTip.text().splitlines()
    QToolTip.hideText()
