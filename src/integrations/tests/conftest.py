"""A real HTTP server on 127.0.0.1 for deliveries, and settings that allow it."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def payload(self) -> dict:
        return json.loads(self.body)

    def signed_with(self, secret: str) -> bool:
        """The receiver's check, as docs/api.md shows it."""
        timestamp = self.headers["X-OBCMS-Timestamp"]
        expected = hmac.new(secret.encode(), timestamp.encode() + b"." + self.body, hashlib.sha256)
        return hmac.compare_digest(
            "sha256=" + expected.hexdigest(), self.headers["X-OBCMS-Signature"]
        )


@dataclass
class Receiver:
    url: str
    requests: list[Received] = field(default_factory=list)
    #: answers to give, in order (status, body, extra headers); then 200 "ok"
    answers: list[tuple[int, str, dict]] = field(default_factory=list)


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            state.requests.append(Received(self.path, dict(self.headers.items()), body))
            status, text, headers = state.answers.pop(0) if state.answers else (200, "ok", {})
            data = text.encode()
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/obcms"
    yield state
    server.shutdown()
    server.server_close()
