"""A fake org.freedesktop.Notifications server on a private D-Bus session bus, for tests.

It records every Notify call (what the app really sent over the bus) and can emit
ActionInvoked / NotificationClosed as a desktop would when the user clicks or closes one.
"""

import asyncio
import os
import shutil
import subprocess
import threading
from dataclasses import dataclass
from typing import Annotated, Any

from dbus_fast.aio import MessageBus
from dbus_fast.annotations import DBusDict, DBusInt32, DBusSignature, DBusStr, DBusUInt32
from dbus_fast.service import ServiceInterface, method, signal

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
# dbus-fast reads each D-Bus signature from the Annotated hint; mypy reads the Python type.
_Strings = Annotated[list[str], DBusSignature("as")]


@dataclass(frozen=True)
class NotifyCall:
    id: int
    app_name: str
    summary: str
    body: str
    actions: list[str]
    hints: dict[str, Any]


class _Interface(ServiceInterface):
    def __init__(self, server: "FakeNotificationServer") -> None:
        super().__init__(NAME)
        self._server = server

    @method()
    def Notify(
        self,
        app_name: DBusStr,
        replaces_id: DBusUInt32,
        app_icon: DBusStr,
        summary: DBusStr,
        body: DBusStr,
        actions: _Strings,
        hints: DBusDict,
        expire_timeout: DBusInt32,
    ) -> DBusUInt32:
        return self._server._record(app_name, summary, body, actions, hints)

    @method()
    def GetCapabilities(self) -> _Strings:
        return ["actions", "body"]

    @method()
    def GetServerInformation(self) -> Annotated[list[str], DBusSignature("ssss")]:
        return ["fake-notifications", "tracker tests", "1.0", "1.2"]

    @method()
    def CloseNotification(self, id: DBusUInt32) -> None:
        self.NotificationClosed(id, 3)

    @signal()
    def ActionInvoked(
        self, id: DBusUInt32, action_key: DBusStr
    ) -> Annotated[list[int | str], DBusSignature("us")]:
        return [id, action_key]

    @signal()
    def NotificationClosed(
        self, id: DBusUInt32, reason: DBusUInt32
    ) -> Annotated[list[int], DBusSignature("uu")]:
        return [id, reason]


class FakeNotificationServer:
    """Owns the notifications name on `address` from its own thread and asyncio loop."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.calls: list[NotifyCall] = []
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._interface = _Interface(self)
        self._bus: MessageBus | None = None

    def start(self) -> None:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._connect(), self._loop).result(10)

    async def _connect(self) -> None:
        self._bus = await MessageBus(bus_address=self.address).connect()
        self._bus.export(PATH, self._interface)
        await self._bus.request_name(NAME)

    def _record(self, app: str, summary: str, body: str, actions: list[str], hints: Any) -> int:
        with self._lock:
            call = NotifyCall(len(self.calls) + 1, app, summary, body, list(actions), dict(hints))
            self.calls.append(call)
            return call.id

    def sent(self) -> list[NotifyCall]:
        with self._lock:
            return list(self.calls)

    def click(self, notification_id: int, action: str = "default") -> None:
        """What a desktop does when the user clicks the notification's body."""
        self._loop.call_soon_threadsafe(self._interface.ActionInvoked, notification_id, action)

    def close_notification(self, notification_id: int, reason: int = 2) -> None:
        self._loop.call_soon_threadsafe(self._interface.NotificationClosed, notification_id, reason)

    def stop(self) -> None:
        if self._bus is not None:
            self._loop.call_soon_threadsafe(self._bus.disconnect)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)


class PrivateSessionBus:
    """`dbus-daemon --session` of our own, so no real notification daemon can answer."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[str] | None = None
        self.address = ""

    @staticmethod
    def available() -> bool:
        return shutil.which("dbus-daemon") is not None

    def start(self) -> str:
        self.process = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ},
        )
        assert self.process.stdout is not None
        self.address = self.process.stdout.readline().strip()
        if not self.address:
            raise RuntimeError("dbus-daemon printed no address")
        return self.address

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=5)
