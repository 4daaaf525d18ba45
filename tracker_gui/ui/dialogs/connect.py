"""File > Connect to Shared Database: server, login, TLS, keychain, recent connections."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tracker_gui import credentials
from tracker_gui.credentials import SSL_MODES, ConnectionSpec
from tracker_gui.errors import ConnectionFailedError, StorageError, TrackerError
from tracker_gui.services import Services
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.widgets import kit as ui
from tracker_gui.ui.widgets import style

log = logging.getLogger(__name__)

RECENT_MAX = 8
Opener = Callable[[str, str | None], Services]  # (url without password, password) -> services
NO_KEYCHAIN = "No keychain on this computer: the password is kept until Tracker closes."


def recent_connections(settings: Settings) -> list[ConnectionSpec]:
    out = []
    for raw in settings.get("db/recent"):
        try:
            out.append(ConnectionSpec.from_dict(json.loads(raw)))
        except (ValueError, TypeError):
            continue  # a hand-edited entry: skip it rather than refuse to open
    return out


def remember_connection(settings: Settings, spec: ConnectionSpec) -> None:
    """Put `spec` first in the recent list (the password is not part of it)."""
    rest = [s for s in recent_connections(settings) if s.key != spec.key]
    entries = [json.dumps(s.as_dict(), sort_keys=True) for s in [spec, *rest][:RECENT_MAX]]
    settings.set("db/recent", entries)


class ConnectDialog(QDialog):
    """On success `services` holds the open database; `switch_local` asks for the local file."""

    def __init__(
        self,
        settings: Settings,
        opener: Opener,
        parent: QWidget | None = None,
        *,
        initial: ConnectionSpec | None = None,
        connected_to: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ConnectDialog")
        self.setWindowTitle("Connect to Shared Database")
        self.setMinimumWidth(480)
        style.install_style(self)
        self._settings = settings
        self._opener = opener
        self.services: Services | None = None
        self.switch_local = False
        self._recent = recent_connections(settings)

        heading = QLabel("Connect to a shared database")
        heading.setFont(ui.scaled_font(heading, 1.3, QFont.Weight.DemiBold))
        intro = style.muted(
            QLabel("Your team's PostgreSQL server. Ask your admin for the host and your login.")
        )
        intro.setWordWrap(True)
        self.recent_box = QComboBox()
        self.recent_box.setObjectName("RecentBox")
        self.recent_box.addItem("New connection")
        for spec in self._recent:
            self.recent_box.addItem(spec.key)
        self.recent_box.currentIndexChanged.connect(self._on_recent_box_current_index_changed)

        self.host_edit = QLineEdit()
        self.host_edit.setPlaceholderText("db.example.org")
        self.port_spin = QSpinBox()
        self.port_spin.setRange(1, 65535)
        self.port_spin.setValue(credentials.DEFAULT_PORT)
        self.db_edit = QLineEdit()
        self.db_edit.setPlaceholderText("tracker")
        self.user_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.ssl_box = QComboBox()
        self.ssl_box.addItems(SSL_MODES)
        self.ssl_box.setCurrentText("prefer")
        self.ssl_box.currentTextChanged.connect(self._on_ssl_box_current_text_changed)
        self.ca_edit = QLineEdit()
        self.ca_edit.setPlaceholderText("CA certificate (.crt / .pem)")
        self.ca_button = QPushButton("Choose…")
        self.ca_button.clicked.connect(self._on_ca_button_clicked)
        ca_row = QHBoxLayout()
        ca_row.setSpacing(6)
        ca_row.addWidget(self.ca_edit, 1)
        ca_row.addWidget(self.ca_button)
        self.ca_widget = QWidget()
        self.ca_widget.setLayout(ca_row)
        ca_row.setContentsMargins(0, 0, 0, 0)
        self.remember_box = QCheckBox("Remember the password in the system keychain")
        self.keychain = credentials.keychain_available()
        self.remember_box.setChecked(self.keychain)
        self.remember_box.setEnabled(self.keychain)
        self.keychain_note = style.muted(QLabel(NO_KEYCHAIN))
        self.keychain_note.setObjectName("KeychainNote")
        self.keychain_note.setWordWrap(True)
        self.keychain_note.setVisible(not self.keychain)

        host_row = QHBoxLayout()
        host_row.setSpacing(6)
        host_row.addWidget(self.host_edit, 1)
        host_row.addWidget(QLabel("Port"))
        host_row.addWidget(self.port_spin)
        form = QFormLayout()
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(8)
        form.addRow("Recent", self.recent_box)
        form.addRow("Host", host_row)
        form.addRow("Database", self.db_edit)
        form.addRow("User", self.user_edit)
        form.addRow("Password", self.password_edit)
        form.addRow("Encryption", self.ssl_box)
        form.addRow("CA file", self.ca_widget)
        self._form = form

        self.error_title = QLabel()
        self.error_title.setObjectName("ConnectError")
        self.error_title.setWordWrap(True)
        self.error_title.setStyleSheet(f"color: {style.colours()['danger']}; font-weight: 600;")
        self.error_hint = style.muted(QLabel())
        self.error_hint.setWordWrap(True)
        self.error_title.hide()
        self.error_hint.hide()

        self.local_button = QPushButton("Switch back to the local file")
        self.local_button.setObjectName("LocalButton")
        self.local_button.setVisible(connected_to is not None)
        self.local_button.clicked.connect(self._on_local_button_clicked)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.reject)
        self.connect_button = QPushButton("Connect")
        self.connect_button.setObjectName("Primary")
        self.connect_button.setDefault(True)
        self.connect_button.clicked.connect(self._on_connect_button_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.local_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.connect_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.remember_box)
        layout.addWidget(self.keychain_note)
        layout.addWidget(self.error_title)
        layout.addWidget(self.error_hint)
        layout.addSpacing(8)
        layout.addLayout(buttons)
        self._on_ssl_box_current_text_changed(self.ssl_box.currentText())
        if initial is not None:
            self.fill(initial)
        elif self._recent:
            self.recent_box.setCurrentIndex(1)

    # -- the fields --------------------------------------------------------------------------
    def fill(self, spec: ConnectionSpec) -> None:
        self.host_edit.setText(spec.host)
        self.port_spin.setValue(spec.port)
        self.db_edit.setText(spec.dbname)
        self.user_edit.setText(spec.user)
        self.ssl_box.setCurrentText(spec.sslmode)
        self.ca_edit.setText(spec.sslrootcert)
        self.password_edit.clear()
        stored = credentials.load_password(spec.key) is not None
        self.password_edit.setPlaceholderText("stored in the keychain" if stored else "")

    def spec(self) -> ConnectionSpec:
        return ConnectionSpec(
            host=self.host_edit.text().strip(),
            port=self.port_spin.value(),
            dbname=self.db_edit.text().strip(),
            user=self.user_edit.text().strip(),
            sslmode=self.ssl_box.currentText(),
            sslrootcert=self.ca_edit.text().strip() if self._wants_ca() else "",
        )

    def _wants_ca(self) -> bool:
        return self.ssl_box.currentText() in ("verify-ca", "verify-full")

    def show_error(self, message: str, hint: str = "") -> None:
        self.error_title.setText(message[:1].upper() + message[1:])
        self.error_hint.setText(hint[:1].upper() + hint[1:] + "." if hint else "")
        self.error_title.show()
        self.error_hint.setVisible(bool(hint))

    # -- connecting --------------------------------------------------------------------------
    def try_connect(self) -> bool:
        """Open the database with what is entered; on failure say why, beside the field."""
        spec = self.spec()
        missing = [n for n, v in (("host", spec.host), ("database", spec.dbname)) if not v]
        missing += ["user"] if not spec.user else []
        if missing:
            self.show_error(f"Enter the {' and '.join(missing)}")
            return False
        if self._wants_ca() and not spec.sslrootcert:
            self.show_error("Choose the CA file", "verify-full checks the server against it")
            return False
        typed = self.password_edit.text()
        password = typed or credentials.load_password(spec.key)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            services = self._opener(spec.url(), password)
        except ConnectionFailedError as exc:
            self.show_error(str(exc.args[0]), exc.hint)
            self._focus_for(exc.reason)
            return False
        except StorageError as exc:
            self.show_error(str(exc.args[0]), exc.hint)
            return False
        except TrackerError as exc:
            self.show_error(str(exc))
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        if password is not None:
            remember = self.remember_box.isChecked() and self.keychain
            credentials.save_password(spec.key, password, remember=remember)
        remember_connection(self._settings, spec)
        self.services = services
        return True

    def _focus_for(self, reason: str) -> None:
        target = {
            "password": self.password_edit,
            "role": self.user_edit,
            "database": self.db_edit,
            "host": self.host_edit,
            "refused": self.host_edit,
            "ssl": self.ca_edit if self._wants_ca() else self.ssl_box,
        }.get(reason)
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            if isinstance(target, QLineEdit):
                target.selectAll()

    # -- slots -------------------------------------------------------------------------------
    def _on_connect_button_clicked(self) -> None:
        if self.try_connect():
            self.accept()

    def _on_local_button_clicked(self) -> None:
        self.switch_local = True
        self.accept()

    def _on_recent_box_current_index_changed(self, index: int) -> None:
        if 1 <= index <= len(self._recent):
            self.fill(self._recent[index - 1])

    def _on_ssl_box_current_text_changed(self, _mode: str) -> None:
        wanted = self._wants_ca()
        self._form.setRowVisible(self.ca_widget, wanted)

    def _on_ca_button_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "CA Certificate", "", "Certificates (*.crt *.pem *.cer);;All files (*)"
        )
        if path:
            self.ca_edit.setText(path)


def install_action(window: QMainWindow, after: QAction, slot: Callable[[], None]) -> QAction:
    """Add File > Connect to Shared Database… right after `after` in its menu."""
    action = QAction("Connect to &Shared Database…", window)
    action.setObjectName("ConnectSharedAction")
    action.setStatusTip("Open a team's PostgreSQL database")
    action.triggered.connect(slot)
    for owner in after.associatedObjects():
        if isinstance(owner, QMenu):
            actions = owner.actions()
            index = actions.index(after)
            following = actions[index + 1] if index + 1 < len(actions) else None
            owner.insertAction(following, action) if following else owner.addAction(action)
            break
    return action
