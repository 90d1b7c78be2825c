"""A real HTTP server on loopback standing for Sentry's ingestion endpoint: the SDK sends
its envelopes to it over a socket, with its own transport, as to Sentry in production."""

import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sentry_sdk

try:
    import brotli  # the SDK compresses with Brotli when it is installed, with gzip otherwise
except ImportError:
    brotli = None


class SentryInbox:
    """The envelopes received, as the bytes the SDK meant to send (decompressed)."""

    def __init__(self, dsn: str):
        self.dsn = dsn
        self.envelopes: list[bytes] = []

    def items(self, kind: str) -> list[dict]:
        return [
            json.loads(payload)
            for envelope in self.envelopes
            for header, payload in envelope_items(envelope)
            if header.get("type") == kind
        ]

    @property
    def raw(self) -> bytes:
        return b"\n".join(self.envelopes)


def envelope_items(envelope: bytes) -> list[tuple[dict, bytes]]:
    """Sentry's envelope: a header line, then for each item a header line and its payload
    (``length`` bytes when the header says so, else up to the end of the line)."""
    _header, _, rest = envelope.partition(b"\n")
    items = []
    while rest.strip():
        line, _, rest = rest.partition(b"\n")
        header = json.loads(line)
        if "length" in header:
            payload, rest = rest[: header["length"]], rest[header["length"] + 1 :]
        else:
            payload, _, rest = rest.partition(b"\n")
        items.append((header, payload))
    return items


class _IngestHandler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        match self.headers.get("Content-Encoding", ""):
            case "gzip":
                body = gzip.decompress(body)
            case "br":
                body = brotli.decompress(body)
        self.server.inbox.envelopes.append(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format, *args):
        pass  # the test's output is not the place for the server's access log


@pytest.fixture
def sentry_inbox():
    """A loopback ingestion server and its DSN; whatever the test started, the SDK is
    closed and detached afterwards, so that no other test reports to Sentry."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _IngestHandler)
    server.inbox = SentryInbox(f"http://publickey@127.0.0.1:{server.server_port}/1")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.inbox
    finally:
        sentry_sdk.get_client().close(timeout=2)
        sentry_sdk.get_global_scope().set_client(None)
        server.shutdown()
        server.server_close()
        assert not sentry_sdk.get_client().is_active()
