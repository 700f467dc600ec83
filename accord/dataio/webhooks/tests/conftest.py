"""Fixtures of the webhooks tests: users by role, endpoints, a local receiver, running tasks."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django_tasks_db.models import DBTaskResult

from accord.core.testing import make_users
from accord.dataio.webhooks.models import WebhookDelivery, WebhookEndpoint
from accord.parties.models import Organization, Person, Relationship


@pytest.fixture
def users(db):
    ContentType.objects.get_for_models(Organization, Person, Relationship)
    return make_users()


@pytest.fixture(autouse=True)
def _loopback_allowed(settings):
    """The local receiver runs on 127.0.0.1; tests that check refusals clear this."""
    settings.ACCORD_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.ACCORD_WEBHOOK_TIMEOUT = 2


class Receiver:
    """A local HTTP server recording what it receives; `status` is what it answers."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.status = 200
        self.answer = b"ok"
        self.extra_headers: dict[str, str] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                receiver.requests.append(
                    {"path": self.path, "headers": dict(self.headers.items()), "body": body}
                )
                self.send_response(receiver.status)
                for key, value in receiver.extra_headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(receiver.answer)))
                self.end_headers()
                self.wfile.write(receiver.answer)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def json(self, i: int = -1) -> dict[str, Any]:
        return json.loads(self.requests[i]["body"])

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def make_endpoint(users):
    """`make_endpoint(url, owner=admin, **fields)` writes an endpoint through the service."""
    from accord.dataio.webhooks import services

    def make(url: str, owner: Any = None, **fields: Any) -> WebhookEndpoint:
        data = {"name": fields.pop("name", "CRM sync"), "url": url, **fields}
        return services.endpoint_create(actor=owner or users.admin, data=data)

    return make


def run_webhook_tasks(limit: int = 100) -> list[str]:
    """Run the queued delivery tasks that are due, in order, in this process."""
    results = []
    for _round in range(limit):
        task = (
            DBTaskResult.objects.ready()
            .filter(task_path__endswith="deliver_webhook")
            .order_by("enqueued_at")
            .first()
        )
        if task is None:
            break
        task.claim("test")
        value = task.task.call(*task.task_result.args, **task.task_result.kwargs)
        task.set_successful(value)
        results.append(value)
    return results


def deliveries(**filters: Any) -> list[WebhookDelivery]:
    return list(WebhookDelivery.objects.filter(**filters).order_by("id"))
