"""Where a webhook may be sent: http(s) URLs whose host is public — checked on the name and on every
address it resolves to, when the endpoint is saved and again at each delivery.

Refused unless an administrator allowed the host: loopback, private (RFC 1918, fc00::/7), link-local
(169.254/16 with the cloud metadata address, fe80::/10), unspecified, multicast, reserved, shared
(CGNAT 100.64/10), documentation and benchmark ranges, IPv6 forms that embed such an IPv4 address
(::ffff:a.b.c.d, 6to4, NAT64, Teredo), `localhost` and the cloud metadata host names.

A delivery connects to an address vetted here (never resolving the name a second time), so a DNS
answer that changes between the check and the connection cannot redirect it.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import conf

MAX_URL_LENGTH = 2000
METADATA_HOSTNAMES = frozenset(
    {
        "metadata",
        "metadata.google.internal",
        "metadata.goog",
        "metadata.azure.internal",
        "instance-data",
        "instance-data.ec2.internal",
        "metadata.tencentyun.com",
        "metadata.platformequinix.com",
        "metadata.packet.net",
    }
)
# Ranges refused in addition to what `ipaddress` marks as not global.
_BLOCKED_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.88.99.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",
        "240.0.0.0/4",
        "::/96",
        "100::/64",
        "2001:db8::/32",
        "fc00::/7",
        "fe80::/10",
        "fec0::/10",
        "ff00::/8",
    )
)
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


@dataclass
class Target:
    """A parsed webhook URL: what to connect to and what to ask for."""

    url: str
    scheme: str
    host: str  # lower case, IDNA-encoded, without brackets or trailing dot
    port: int
    path: str  # path and query, at least "/"
    is_ip: bool
    addresses: list[str] = field(default_factory=list)  # vetted, in resolver order
    allowed: bool = False  # an administrator allowed this host

    @property
    def display_host(self) -> str:
        return f"[{self.host}]" if ":" in self.host else self.host


def _invalid(message: str, code: str = "invalid_url") -> ValidationError:
    return ValidationError(message, code=code)


def normalise_host(host: str) -> str:
    """Lower case, no brackets, no trailing dot, IDNA for international names; IPs canonical."""
    host = (host or "").strip().lower().strip("[]").rstrip(".")
    if not host:
        return ""
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).compressed
    except ValueError:
        pass
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def parse_url(url: str) -> Target:
    """Check the form of the URL (no network); raises ValidationError with a message for the user."""
    url = (url or "").strip()
    if not url:
        raise _invalid(_("Enter the URL the events are sent to."), "required")
    if len(url) > MAX_URL_LENGTH:
        raise _invalid(_("The URL is longer than %(n)d characters.") % {"n": MAX_URL_LENGTH})
    if any(ord(c) < 33 or ord(c) == 127 for c in url):
        raise _invalid(_("The URL contains spaces or control characters."))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise _invalid(_("This is not a valid URL.")) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise _invalid(_("Use an http:// or https:// URL."), "scheme")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise _invalid(
            _(
                "Remove the user name and password from the URL; receivers check the signature "
                "instead."
            ),
            "credentials",
        )
    host = normalise_host(parts.hostname or "")
    if not host:
        raise _invalid(_("The URL has no host name."))
    try:
        is_ip = bool(ipaddress.ip_address(host))
    except ValueError:
        is_ip = False
        labels = host.split(".")
        if any(not label or len(label) > 63 for label in labels) or len(host) > 253:
            raise _invalid(_("“%(host)s” is not a valid host name.") % {"host": host}) from None
    if port == 0:
        raise _invalid(_("The URL's port must be between 1 and 65535."))
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(
        url=url,
        scheme=scheme,
        host=host,
        port=port or (443 if scheme == "https" else 80),
        path=path,
        is_ip=is_ip,
    )


def allowed_hosts() -> set[str]:
    """Hosts allowed although internal: the setting and the list administrators keep."""
    from .models import AllowedWebhookHost

    hosts = {normalise_host(h) for h in conf.allowed_hosts_setting()}
    hosts.update(AllowedWebhookHost.objects.values_list("host", flat=True))
    return {h for h in hosts if h}


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if any(ip in net for net in _NAT64):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public_address(address: str) -> bool:
    """Whether a connection to this IP address leaves the local networks."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if any(ip in net for net in _BLOCKED_NETWORKS if net.version == ip.version):
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            return is_public_address(str(embedded))
    return bool(ip.is_global and not ip.is_multicast and not ip.is_reserved)


def is_blocked_hostname(host: str) -> bool:
    return host in METADATA_HOSTNAMES or host == "localhost" or host.endswith(".localhost")


def resolve(host: str, port: int) -> list[str]:
    """Every address the host name resolves to (IPv4 and IPv6), in the resolver's order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: dict[str, None] = {}
    for _family, _type, _proto, _canon, sockaddr in infos:
        seen[str(sockaddr[0])] = None
    return list(seen)


def _internal(target: Target, address: str | None = None) -> ValidationError:
    if address is None or address == target.host:
        message = _(
            "“%(host)s” is an internal address; webhooks may only be sent to public addresses. "
            "An administrator can allow this host."
        ) % {"host": target.display_host}
    else:
        message = _(
            "“%(host)s” resolves to the internal address %(address)s; webhooks may only be sent "
            "to public addresses. An administrator can allow this host."
        ) % {"host": target.display_host, "address": address}
    return ValidationError(message, code="internal_address")


def check_url(url: str, *, allowed: set[str] | None = None) -> Target:
    """Parse and vet a webhook URL, resolving its host; returns the target with the addresses a
    delivery may connect to. Raises ValidationError (for the `url` field) when it is refused."""
    target = parse_url(url)
    if allowed is None:
        allowed = allowed_hosts()
    target.allowed = target.host in allowed
    if not target.allowed and not target.is_ip and is_blocked_hostname(target.host):
        raise _internal(target)
    if target.is_ip:
        addresses = [target.host]
    else:
        try:
            addresses = resolve(target.host, target.port)
        except (OSError, UnicodeError) as exc:
            raise ValidationError(
                _("The host “%(host)s” could not be resolved (%(error)s).")
                % {"host": target.host, "error": getattr(exc, "strerror", None) or exc},
                code="unresolvable",
            ) from None
        if not addresses:
            raise ValidationError(
                _("The host “%(host)s” has no address.") % {"host": target.host},
                code="unresolvable",
            )
    if not target.allowed:
        for address in addresses:
            if not is_public_address(address):
                raise _internal(target, address)
    target.addresses = addresses
    return target
