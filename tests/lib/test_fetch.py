"""The SSRF-safe fetcher against local servers: a server standing for the internet (127.0.0.2,
declared public for the test) and an internal one (127.0.0.1) that must never be reached, by a
redirect, by a name that resolves to it, or by any written form of its address."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ita_portal.lib import fetch as fetching
from ita_portal.lib.fetch import fetch, public_address


def serve(host: str, handler) -> tuple[ThreadingHTTPServer, int]:
    server = ThreadingHTTPServer((host, 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


@pytest.fixture
def internal():
    """A server inside the unit's network: it counts every request it gets."""
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"secret")

        def log_message(self, *args):
            pass

    server, port = serve("127.0.0.1", Handler)
    yield port, hits
    server.shutdown()


@pytest.fixture
def outside(internal, monkeypatch):
    """The 'public' site: /page answers, /to?u=... redirects there."""
    internal_port, _hits = internal

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path.startswith("/to?u="):
                self.send_response(302)
                self.send_header("Location", self.path.removeprefix("/to?u="))
                self.end_headers()
                return
            body = "<html><body>ประกาศ O1</body></html>".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server, port = serve("127.0.0.2", Handler)
    real_public, real_resolve = fetching.public_address, fetching.resolve
    monkeypatch.setattr(fetching, "public_address", lambda a: a == "127.0.0.2" or real_public(a))
    monkeypatch.setattr(
        fetching,
        "resolve",
        lambda host, p: ["127.0.0.2"] if host == "unit-site.test" else real_resolve(host, p),
    )
    yield f"http://unit-site.test:{port}", internal_port
    server.shutdown()


def get(url: str, **kwargs):
    return fetch(url, max_bytes=kwargs.pop("max_bytes", 1000), timeout=3, **kwargs)


def test_a_public_page_is_fetched_with_what_proves_it(outside):
    site, _port = outside
    page = get(f"{site}/page")
    assert (page.status, page.error, page.final_url) == (200, "", f"{site}/page")
    assert page.content_type == "text/html; charset=utf-8"
    assert "ประกาศ O1".encode() in page.body and len(page.sha256) == 64
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    cut = get(f"{site}/page", max_bytes=10)
    assert cut.truncated and len(cut.body) == 10


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{port}/",
        "http://localhost:{port}/",
        "http://2130706433:{port}/",  # 127.0.0.1 written as one decimal number
        "http://0x7f.0.0.1:{port}/",  # in hexadecimal
        "http://0177.0.0.1:{port}/",  # in octal
        "http://[::ffff:127.0.0.1]:{port}/",  # IPv4-mapped IPv6
        "http://[::1]:{port}/",
    ],
)
def test_a_redirect_into_the_network_is_not_followed(outside, internal, target):
    site, port = outside
    _port, hits = internal
    page = get(f"{site}/to?u={target.format(port=port)}")
    assert page.status is None and "private address" in page.error
    assert hits == []


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:{port}/", "http://2130706433:{port}/", "http://[::ffff:7f00:1]:{port}/"],
)
def test_an_internal_address_is_not_fetched_in_any_form(internal, url):
    port, hits = internal
    page = get(url.format(port=port))
    assert page.status is None and page.error and hits == []


def test_a_name_that_turns_private_at_connect_time_is_not_reached(internal, monkeypatch):
    """DNS rebinding: the name resolves to a public address when checked and to the internal
    one a moment later. The fetcher resolves once and connects to what it checked."""
    port, hits = internal
    answers = iter([["198.51.100.7"], ["127.0.0.1"]])
    asked = []

    def rebinding(host, p):
        asked.append(host)
        return next(answers)

    connected = []

    def connect(address, timeout):
        connected.append(address)
        raise OSError("unreachable in the test")

    monkeypatch.setattr(fetching, "resolve", rebinding)
    monkeypatch.setattr(fetching, "public_address", lambda a: a == "198.51.100.7")
    monkeypatch.setattr(fetching.socket, "create_connection", connect)
    page = get(f"http://rebinding.test:{port}/")
    assert asked == ["rebinding.test"] and connected == [("198.51.100.7", port)]
    assert page.status is None and hits == []


def test_too_many_redirects_and_other_schemes(outside):
    site, _port = outside
    loop = f"{site}/to?u={site}/to?u={site}/to?u={site}/page"
    assert get(loop, max_redirects=1).error == "more than 1 redirects"
    assert get(loop, max_redirects=3).status == 200
    assert "not an http" in get("file:///etc/passwd").error
    assert "not an http" in get(f"{site}/to?u=file:///etc/passwd").error


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1::1", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),  # shared address space (carrier NAT)
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:10.0.0.1", False),
        ("::ffff:93.184.216.34", True),
    ],
)
def test_which_addresses_are_public(address, public):
    assert public_address(address) is public
