"""The HTTP POST of one delivery: to a vetted address only, no redirects, bounded in time and size.

The host is resolved and vetted (`targets.check_url`), then the connection goes to one of the vetted
addresses while the request carries the real host name (Host header, TLS SNI and certificate check),
so a DNS answer cannot change between the check and the connection.
"""

from __future__ import annotations

import contextlib
import errno
import http.client
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import targets

MAX_RESPONSE_BYTES = 4096  # read at most this much of the receiver's answer
RESPONSE_EXCERPT_CHARS = 2000
ERROR_CHARS = 1000
USER_AGENT = "Accord-Webhooks/1.0"
MAX_ADDRESSES_TRIED = 3
_UNREACHABLE = {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EADDRNOTAVAIL}


@dataclass
class Outcome:
    """What came of one attempt."""

    status: int | None = None
    body: str = ""
    error: str = ""
    duration_ms: int = 0

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300 and not self.error


def clean_text(value: Any, limit: int) -> str:
    """Printable text for the log: NUL removed (PostgreSQL refuses it), capped."""
    text = str(value).replace("\x00", "")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _connection(target: targets.Target, address: str, timeout: float) -> http.client.HTTPConnection:
    conn: http.client.HTTPConnection
    if target.scheme == "https":
        conn = http.client.HTTPSConnection(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(target.host, target.port, timeout=timeout)

    def connect_to_vetted(_address, timeout=timeout, source_address=None):
        # The name is never resolved again: connect to the address checked a moment ago.
        return socket.create_connection((address, target.port), timeout, source_address)

    conn._create_connection = connect_to_vetted  # type: ignore[attr-defined]
    return conn


def _abort(conn: http.client.HTTPConnection) -> None:
    """Cut a connection that ran past the total time (a receiver dripping its answer)."""
    sock = conn.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _describe(exc: BaseException, timeout: float) -> str:
    if isinstance(exc, TimeoutError | socket.timeout):
        return _("No answer within %(s)s seconds.") % {"s": f"{timeout:g}"}
    if isinstance(exc, ssl.SSLCertVerificationError):
        return _("The receiver's TLS certificate is not valid: %(error)s") % {
            "error": exc.verify_message or exc
        }
    if isinstance(exc, ssl.SSLError):
        return _("TLS failed: %(error)s") % {"error": exc}
    if isinstance(exc, ConnectionRefusedError):
        return _("The receiver refused the connection.")
    if isinstance(exc, http.client.HTTPException):
        return _("The receiver's answer is not valid HTTP (%(error)s).") % {
            "error": type(exc).__name__
        }
    return _("The connection failed: %(error)s") % {"error": exc}


def _post_once(
    target: targets.Target, address: str, body: bytes, headers: dict[str, str], timeout: float
) -> Outcome:
    conn = _connection(target, address, timeout)
    timer = threading.Timer(timeout * 2, _abort, args=(conn,))
    timer.daemon = True
    timer.start()
    try:
        conn.request("POST", target.path, body=body, headers=headers)
        response = conn.getresponse()
        raw = response.read(MAX_RESPONSE_BYTES)
        outcome = Outcome(
            status=response.status,
            body=clean_text(raw.decode("utf-8", errors="replace"), RESPONSE_EXCERPT_CHARS),
        )
        if 300 <= response.status < 400:
            location = clean_text(response.getheader("Location", ""), 300)
            outcome.error = _(
                "The receiver answered with a redirect (%(status)s to %(location)s); redirects "
                "are not followed. Enter the final URL."
            ) % {"status": response.status, "location": location or "?"}
        elif not 200 <= response.status < 300:
            outcome.error = _("The receiver answered %(status)s %(reason)s.") % {
                "status": response.status,
                "reason": clean_text(response.reason or "", 100),
            }
        return outcome
    finally:
        timer.cancel()
        conn.close()


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> Outcome:
    """POST `body` to `url` after vetting it again; never raises for network trouble."""
    started = time.monotonic()
    all_headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "Accept": "*/*",
        "Connection": "close",
        **headers,
    }
    outcome = Outcome()
    try:
        target = targets.check_url(url)
    except ValidationError as exc:
        outcome.error = clean_text(" ".join(exc.messages), ERROR_CHARS)
    else:
        for address in target.addresses[:MAX_ADDRESSES_TRIED]:
            try:
                outcome = _post_once(target, address, body, all_headers, timeout)
                break
            except (OSError, http.client.HTTPException, ValueError) as exc:
                outcome = Outcome(error=clean_text(_describe(exc, timeout), ERROR_CHARS))
                unreachable = isinstance(exc, ConnectionRefusedError) or (
                    isinstance(exc, OSError) and exc.errno in _UNREACHABLE
                )
                if not unreachable:
                    break  # the next address only when this one could not be reached at all
    outcome.duration_ms = int((time.monotonic() - started) * 1000)
    outcome.error = clean_text(outcome.error, ERROR_CHARS) if outcome.error else ""
    return outcome
