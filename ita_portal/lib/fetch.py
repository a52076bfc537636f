"""Fetch a unit's public web page without ever reaching a private network (SSRF-safe).

The portal fetches addresses people typed (the weekly link check, proof of publication). A
plain `urlopen` follows redirects on its own and resolves the name again when it connects, so
a redirect to `http://127.0.0.1/`, or a name that resolves to a public address when checked and
to a private one a moment later, reaches servers inside the unit's network. Here every hop is
resolved once, every address it resolves to must be public (not private, loopback, link-local,
multicast, reserved or unspecified, IPv4-mapped IPv6 and decimal or octal forms included: they
are checked after the resolver has read them), and the connection goes to that very address
(HTTPS still verifies the certificate for the name). Redirects are followed by hand, each hop
checked the same way, at most `max_redirects`. At most `max_bytes` of the body are read.

`allow_private` (the setting LINK_CHECK_ALLOW_PRIVATE) turns the address rule off, for an
intranet deployment whose units' sites are inside it, and for tests against local servers.
"""

from __future__ import annotations

import hashlib
import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

USER_AGENT = "ITA-Portal/1 (link check and proof of publication)"
REDIRECTS = {301, 302, 303, 307, 308}


class Refused(Exception):
    """The address may not be fetched (scheme, private address, too many redirects)."""


@dataclass
class Fetched:
    url: str
    status: int | None = None
    final_url: str = ""
    content_type: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    truncated: bool = False
    error: str = ""
    hops: list[str] = field(default_factory=list)  # every address asked, in order

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest() if self.status is not None else ""


def public_address(address: str) -> bool:
    """Reachable on the public internet: not private, loopback, link-local, shared (CGNAT),
    reserved, unspecified or multicast; an IPv4-mapped IPv6 address is judged as its IPv4."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (one lookup; the connection uses its answer)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


class _Pinned:
    """Connect to the address already checked, not to whatever the name resolves to now."""

    address: str
    timeout: float

    def connect(self):  # http.client calls it to open the socket
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _HTTP(_Pinned, http.client.HTTPConnection):
    pass


class _HTTPS(_Pinned, http.client.HTTPSConnection):
    def connect(self):
        super().connect()
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(self.sock, server_hostname=self.host)


def _connection(scheme: str, host: str, port: int, address: str, timeout: float):
    cls = _HTTPS if scheme == "https" else _HTTP
    connection = cls(host, port, timeout=timeout)
    connection.address = address
    return connection


def _checked_address(url: str, *, allow_private: bool) -> tuple[str, str, int, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(f"not an http or https address: {url}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = resolve(parts.hostname, port)
    except (socket.gaierror, UnicodeError) as error:
        raise OSError(f"{parts.hostname}: {error}") from None
    if not addresses:
        raise OSError(f"{parts.hostname}: no address")
    if not allow_private and not all(public_address(a) for a in addresses):
        raise Refused(f"{parts.hostname} resolves to a private address: not fetched")
    return parts.scheme, parts.hostname, port, addresses[0]


def fetch(
    url: str,
    *,
    max_bytes: int,
    timeout: float,
    max_redirects: int = 5,
    allow_private: bool = False,
) -> Fetched:
    """GET `url` by the rules above. Never raises for the page's own faults: they are in
    `error` (and `status` stays None when nothing answered)."""
    result = Fetched(url=url)
    current = url
    try:
        for _hop in range(max_redirects + 1):
            result.hops.append(current)
            scheme, host, port, address = _checked_address(current, allow_private=allow_private)
            parts = urlsplit(current)
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            connection = _connection(scheme, host, port, address, timeout)
            try:
                connection.request("GET", path, headers={"User-Agent": USER_AGENT})
                response = connection.getresponse()
                location = response.getheader("Location")
                if response.status in REDIRECTS and location:
                    current = urljoin(current, location)
                    continue
                result.status = response.status
                result.final_url = current
                result.headers = {k: v for k, v in response.getheaders()}
                result.content_type = response.getheader("Content-Type") or ""
                result.body = response.read(max_bytes + 1)
                result.truncated = len(result.body) > max_bytes
                result.body = result.body[:max_bytes]
                return result
            finally:
                connection.close()
        raise Refused(f"more than {max_redirects} redirects")
    except Refused as error:
        result.error = str(error)
    except (OSError, http.client.HTTPException, ssl.SSLError, ValueError) as error:
        result.error = str(error) or error.__class__.__name__
    return result
