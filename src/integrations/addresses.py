"""Where a webhook may send: never into the server's own network (SSRF protection).

A hook's host is resolved and every address it resolves to must be public: private, loopback,
link-local (the cloud metadata service at 169.254.169.254), multicast, reserved, shared and
unspecified addresses are refused, for IPv4 and IPv6 alike (IPv4 inside IPv6 is unwrapped).
The check runs when a hook is configured *and* before every delivery, because DNS can change
between the two; the delivery then connects to the address that was checked, so a second,
different answer cannot slip in between check and connect. Hosts an administrator lists in
`WEBHOOK_ALLOWED_HOSTS` (exact names or addresses) are exempt, e.g. a service on the same
private network.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Target:
    """A checked destination: the URL's parts and the address to connect to."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


def allowed_hosts() -> set[str]:
    return {h.strip().lower().strip("[]") for h in settings.WEBHOOK_ALLOWED_HOSTS if h.strip()}


def is_public(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is not None:
            return is_public(mapped)
    return address.is_global and not (
        address.is_multicast or address.is_reserved or address.is_link_local
    )


def parse(url: str) -> tuple[str, str, int, str]:
    """Scheme, host, port and path of a hook's URL, or a ValidationError saying what is wrong."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ValidationError({"url": "This is not a valid address."}) from None
    if parts.scheme not in ("http", "https"):
        raise ValidationError({"url": "Use an http:// or https:// address."})
    if not parts.hostname:
        raise ValidationError({"url": "The address has no host."})
    if parts.username or parts.password:
        raise ValidationError({"url": "Leave user names and passwords out of the address."})
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    default = 443 if parts.scheme == "https" else 80
    return parts.scheme, parts.hostname.lower(), port or default, path


def resolve(url: str) -> Target:
    """Check `url` and pick the address to connect to; ValidationError when it may not be used."""
    scheme, host, port, path = parse(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise ValidationError({"url": f"The host “{host}” could not be found."}) from None
    addresses = []
    for info in infos:
        text = str(info[4][0]).split("%", 1)[0]  # drop an IPv6 zone
        addresses.append(ipaddress.ip_address(text))
    if not addresses:
        raise ValidationError({"url": f"The host “{host}” could not be found."})
    if host not in allowed_hosts():
        refused = [a for a in addresses if not is_public(a)]
        if refused:
            raise ValidationError(
                {
                    "url": f"“{host}” leads to {refused[0]}, an address inside a private, "
                    "loopback, link-local or reserved network. Webhooks may only reach public "
                    "addresses unless an administrator allows the host (WEBHOOK_ALLOWED_HOSTS)."
                }
            )
    return Target(scheme, host, port, path, str(addresses[0]))
