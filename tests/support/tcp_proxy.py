"""A TCP proxy in front of a test server that can cut every connection at a chosen moment:
after the client's n-th COMMIT is passed on, before the server's answer comes back."""

from __future__ import annotations

import contextlib
import select
import socket
import threading


class CuttingProxy:
    """127.0.0.1:<port> -> 127.0.0.1:<target>; `cut_after_commit(n)` arms a cut."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self.port = int(self._listener.getsockname()[1])
        self._lock = threading.Lock()
        self._commits_left: int | None = None
        self.cuts = 0
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def cut_after_commit(self, n: int | None) -> None:
        """Cut the connection carrying the n-th COMMIT from now on (None: never)."""
        with self._lock:
            self._commits_left = n

    def close(self) -> None:
        self._stop = True
        with contextlib.suppress(OSError):
            self._listener.close()

    def _accept(self) -> None:
        while not self._stop:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target_port))
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()

    def _should_cut(self, data: bytes) -> bool:
        if b"COMMIT" not in data.upper():
            return False
        with self._lock:
            if self._commits_left is None:
                return False
            self._commits_left -= 1
            if self._commits_left > 0:
                return False
            self._commits_left = None
            self.cuts += 1
            return True

    def _pump(self, client: socket.socket, server: socket.socket) -> None:
        try:
            while True:
                ready, _, _ = select.select([client, server], [], [], 30)
                if not ready:
                    continue
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        return
                    other = server if sock is client else client
                    other.sendall(data)
                    if sock is client and self._should_cut(data):
                        return  # the server has the COMMIT; its answer never arrives
        except OSError:
            return
        finally:
            for sock in (client, server):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
