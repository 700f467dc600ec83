"""A slow, pure check worked out for the next batch by a helper process while this batch is matched
and written.

Reading a people row is cheap except for its phone numbers: `phonenumbers` parses each against the
country's metadata (~25 µs, half the cost of reading the row), and in a big file they rarely repeat.
The import's own process keeps one core busy planning and writing; a forked helper checks the
numbers of batch N+1 on the other core meanwhile, and the results (short strings) come back through a
pipe into the memo the reader looks in. The rule stays where it lives (`bulk.phone_clean`): the
helper only calls it earlier, so the results are the same. Without `fork`, for a few values, or if
the helper fails, everything is worked out inline.
"""

from __future__ import annotations

import contextlib
import multiprocessing
from collections import deque
from collections.abc import Callable, Hashable, Iterable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

MIN_AHEAD = 500  # fewer values than this are worked out inline when asked for
LIMIT = 20_000  # values remembered (a switchboard number repeats down a file)
WAIT = 120  # seconds to wait for the helper's answer before working the values out inline


def _serve(conn: Connection, fn: Callable[[Any], Any]) -> None:
    """The helper: values for each list of keys, in order, until told to stop."""
    while True:
        try:
            keys = conn.recv()
        except EOFError:
            return
        if keys is None:
            return
        conn.send([fn(key) for key in keys])


class Ahead(Generic[K, V]):
    """`fn(key)`, remembered; `submit(keys)` has a helper process work them out in advance."""

    def __init__(self, fn: Callable[[K], V], *, limit: int = LIMIT) -> None:
        self.fn = fn
        self.limit = limit
        self.known: dict[K, V] = {}
        self._conn: Connection | None = None
        self._process: Any = None
        self._pending: deque[list[K]] = deque()
        self._failed = False

    def __call__(self, key: K) -> V:
        try:
            return self.known[key]
        except KeyError:
            pass
        if self._pending:
            self.collect()
            if key in self.known:
                return self.known[key]
        value = self.fn(key)
        self._remember([key], [value])
        return value

    def submit(self, keys: Iterable[K]) -> None:
        """Start working out these values (those not known yet) in the helper."""
        if self._pending:  # one request at a time (two large ones could fill both pipes)
            self.collect()
        wanted = list(dict.fromkeys(k for k in keys if k not in self.known))
        if len(wanted) < MIN_AHEAD or not self._start():
            return
        assert self._conn is not None
        try:
            self._conn.send(wanted)
        except OSError:
            self._stop(failed=True)
            return
        self._pending.append(wanted)

    def collect(self) -> None:
        """Take in the results of everything submitted (waits for the helper)."""
        while self._pending and self._conn is not None:
            keys = self._pending.popleft()
            try:
                if not self._conn.poll(WAIT):  # stuck (it never should be): on without it
                    self._stop(failed=True)
                    return
                values = self._conn.recv()
            except (EOFError, OSError):  # the helper died: the rest is worked out inline
                self._stop(failed=True)
                return
            self._remember(keys, values)
        self._pending.clear()

    def close(self) -> None:
        self._stop()

    def _remember(self, keys: list[K], values: list[V]) -> None:
        if len(self.known) + len(keys) > self.limit:
            self.known.clear()
        self.known.update(zip(keys, values, strict=True))

    def _start(self) -> bool:
        if self._conn is not None:
            return True
        if self._failed or "fork" not in multiprocessing.get_all_start_methods():
            return False
        context = multiprocessing.get_context("fork")
        ours, theirs = context.Pipe()
        try:
            process = context.Process(target=_serve, args=(theirs, self.fn), daemon=True)
            process.start()
        except (AssertionError, OSError):  # e.g. inside a daemonic process
            self._failed = True
            ours.close()
            theirs.close()
            return False
        theirs.close()
        self._conn, self._process = ours, process
        return True

    def _stop(self, *, failed: bool = False) -> None:
        conn, process = self._conn, self._process
        self._conn, self._process = None, None
        self._pending.clear()
        self._failed = self._failed or failed  # a helper that failed is not started again
        if conn is None:
            return
        with contextlib.suppress(OSError):
            conn.send(None)
        conn.close()
        if process is not None:
            process.join(timeout=5)
            if process.is_alive():  # pragma: no cover - a stuck helper
                process.terminate()
                process.join(timeout=5)
