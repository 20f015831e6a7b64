"""In-process registry of live alert sockets: push frames, settle acknowledgements, close
a blocked account's connections.

Storage is the source of truth: every socket re-reads its user's unacknowledged frames on
connect and every few seconds, so a frame lost with a dead socket or worker is sent again.
The hub only makes delivery fast. Frames carry a dedupe key; a connection never sends the
same key twice, and once a key is acknowledged no connection of that user sends it again.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import defaultdict

log = logging.getLogger(__name__)

CLOSE_BLOCKED = 4403  # application close code: the account was blocked or its tokens revoked


class Connection:
    def __init__(self, user_id: uuid.UUID, role: str, suggestions: bool = False):
        self.user_id = user_id
        self.role = role
        self.suggestions = suggestions  # opted in to `suggestions` frames (?suggestions=true)
        self.queue: asyncio.Queue[tuple[str, dict] | None] = asyncio.Queue()
        self.sent: set[str] = set()
        self.settled: set[str] = set()
        self.close_code: int | None = None
        self.close_reason = ""

    def offer(self, key: str, frame: dict) -> None:
        if key.startswith("suggestions:") and not self.suggestions:
            return
        if key not in self.sent and key not in self.settled:
            self.queue.put_nowait((key, frame))

    def take(self, key: str) -> bool:
        """Claim ``key`` for sending; False if it was sent or settled already."""
        if key in self.sent or key in self.settled:
            return False
        self.sent.add(key)
        return True

    def close(self, code: int, reason: str) -> None:
        self.close_code, self.close_reason = code, reason
        self.queue.put_nowait(None)


class AlertHub:
    def __init__(self) -> None:
        self._conns: dict[uuid.UUID, set[Connection]] = defaultdict(set)
        self._loop: asyncio.AbstractEventLoop | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def register(self, conn: Connection) -> None:
        self._conns[conn.user_id].add(conn)

    def unregister(self, conn: Connection) -> None:
        conns = self._conns.get(conn.user_id)
        if conns is not None:
            conns.discard(conn)
            if not conns:
                self._conns.pop(conn.user_id, None)

    def connections(self, user_id: uuid.UUID) -> int:
        return len(self._conns.get(user_id, ()))

    # -- called on the event loop --------------------------------------------------------------
    def publish(self, user_id: uuid.UUID, key: str, frame: dict) -> int:
        conns = list(self._conns.get(user_id, ()))
        for c in conns:
            c.offer(key, frame)
        return len(conns)

    def settle(self, user_id: uuid.UUID, key: str) -> None:
        for c in self._conns.get(user_id, ()):
            c.settled.add(key)

    def disconnect(self, user_id: uuid.UUID, code: int = CLOSE_BLOCKED,
                   reason: str = "account blocked") -> int:
        conns = list(self._conns.get(user_id, ()))
        for c in conns:
            c.close(code, reason)
        return len(conns)

    # -- called from worker threads (sync routes, the escalation scan) -------------------------
    def _call(self, fn, *args) -> None:  # noqa: ANN001
        loop = self._loop
        if loop is None or loop.is_closed():
            log.warning("alert hub has no running loop; frames stay in storage until resync")
            return
        loop.call_soon_threadsafe(fn, *args)

    def publish_threadsafe(self, user_id: uuid.UUID, key: str, frame: dict) -> None:
        self._call(self.publish, user_id, key, frame)

    def settle_threadsafe(self, user_id: uuid.UUID, key: str) -> None:
        self._call(self.settle, user_id, key)

    def disconnect_threadsafe(self, user_id: uuid.UUID, code: int = CLOSE_BLOCKED,
                              reason: str = "account blocked") -> None:
        self._call(self.disconnect, user_id, code, reason)
