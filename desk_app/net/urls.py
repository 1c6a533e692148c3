"""Which URLs the desk will talk to, decided on the host that will actually be connected to.

`requests`/urllib3 and `urllib.parse` do not always agree on where the host of a URL is
(`http://192.0.2.2:18520\\@127.0.0.1` is 127.0.0.1 to one and 192.0.2.2 to the other). So a
URL is refused whenever it could be read two ways: backslashes, userinfo (`user@`), control,
whitespace or non-ASCII characters outside the host, a host that is not a plain DNS name, a
canonical IPv4/IPv6 literal or valid IDNA, a port that is not 1-65535 in plain digits, a query
or fragment in a base URL. What is left is parsed by urllib3 too, and both readings must name
the same host. Plain `http://` is allowed only to loopback (127.0.0.0/8, ::1, localhost).

An internationalized host (typed in Unicode or as `xn--`) must be written in one script from its
first label to its last (`реестр.рф`): a host mixing scripts (`аррӏе.com`, Cyrillic letters that
look Latin under a Latin `com`; `pаypal.example`) is refused, the message naming the characters
of each script. ASCII digits and hyphens go with any script; Han, Hiragana, Katakana, Hangul and
Bopomofo count as one (Japanese and Korean names mix them).
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from dataclasses import dataclass

import idna
from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url


class UnsafeUrl(ValueError):
    """A URL the desk refuses; the message says why (English, one line)."""


_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_DNS_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_PORT = re.compile(r"^[0-9]{1,5}$")
_PATH = re.compile(r"^[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$")
_LOOPBACK_NAMES = frozenset({"localhost"})


@dataclass(frozen=True)
class CheckedUrl:
    """A URL that passed the rules: what will be connected to, and the URL to use."""

    scheme: str  # "http" or "https"
    host: str  # lower-case DNS name (IDNA A-label), IPv4 literal, or IPv6 literal without brackets
    port: int
    path: str
    url: str  # normalized: scheme://host[:port]path, no trailing slash

    @property
    def loopback(self) -> bool:
        return host_is_loopback(self.host)

    @property
    def may_carry_credentials(self) -> bool:
        """A token may be sent only over TLS, or in clear only to this machine."""
        return self.scheme == "https" or self.loopback


def host_is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_HAN_FAMILY = frozenset({"CJK", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO", "IDEOGRAPHIC"})


def _script(ch: str) -> str:
    """The script of a letter, from its Unicode name's first word (LATIN, CYRILLIC, GREEK ...)."""
    first = unicodedata.name(ch, "UNKNOWN").split(" ", 1)[0]
    return "HAN" if first in _HAN_FAMILY else first


def mixed_script_problem(unicode_host: str) -> str | None:
    """None when the host's letters are of one script; else a message naming the characters."""
    by_script: dict[str, list[str]] = {}
    for ch in unicode_host:
        if ch in "-." or (ch.isascii() and ch.isdigit()) or unicodedata.category(ch).startswith("M"):
            continue  # neutral, or a combining mark that goes with its letter
        seen = by_script.setdefault(_script(ch), [])
        if ch not in seen:
            seen.append(ch)
    if len(by_script) <= 1:
        return None
    parts = [
        f"{script.capitalize()} " + " ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in chars)
        for script, chars in by_script.items()
    ]
    return "the host mixes scripts, so it can pass for another name: " + "; ".join(parts)


def _check_host(raw: str) -> str:
    if raw.startswith("["):
        if not raw.endswith("]"):
            raise UnsafeUrl("the IPv6 address is not closed with ']'")
        try:
            address = ipaddress.IPv6Address(raw[1:-1])
        except ValueError:
            raise UnsafeUrl("the host is not a valid IPv6 address") from None
        if address.scope_id:
            raise UnsafeUrl("an IPv6 address with a zone (%) is not accepted")
        return address.compressed
    if not raw:
        raise UnsafeUrl("must be an http:// or https:// URL with a host")
    if not raw.isascii():
        try:
            encoded = idna.encode(raw, uts46=True).decode("ascii")
            plain = idna.decode(encoded) == unicodedata.normalize("NFC", raw).lower().rstrip(".")
        except idna.IDNAError:
            raise UnsafeUrl("the host is not a valid internationalized domain name") from None
        if not plain:  # invisible or look-alike characters that IDNA maps away (soft hyphen, ...)
            raise UnsafeUrl("the host is not written in its plain form (hidden or mapped characters)")
        raw = encoded  # its xn-- labels are checked for mixed scripts below, as a typed xn-- host is
    host = raw.lower()
    if host.endswith(".") and not host.endswith(".."):
        host = host[:-1]  # the absolute form of a DNS name
    last = host.rsplit(".", 1)[-1]
    if last.isdigit() or re.fullmatch(r"0x[0-9a-f]*", last):
        # Numeric, as resolvers read it: only a canonical dotted quad (no 127.1, 0x7f.1, 2130706433).
        try:
            address = ipaddress.IPv4Address(host)
        except ValueError:
            raise UnsafeUrl("the host looks numeric but is not a canonical IPv4 address (a.b.c.d)") from None
        if str(address) != host:
            raise UnsafeUrl("the host looks numeric but is not a canonical IPv4 address (a.b.c.d)")
        return host
    labels = host.split(".")
    if len(host) > 253 or not all(_DNS_LABEL.match(label) for label in labels):
        raise UnsafeUrl("the host is not a valid domain name")
    if any(label.startswith("xn--") for label in labels):
        try:
            decoded = idna.decode(host)
        except (idna.IDNAError, UnicodeError):
            raise UnsafeUrl("the host is not a valid internationalized domain name (xn--)") from None
        problem = mixed_script_problem(decoded)
        if problem:
            raise UnsafeUrl(problem)
    return host


def check_url(url: str) -> CheckedUrl:
    """Check an http(s) base URL; raise UnsafeUrl naming the problem."""
    if not isinstance(url, str) or not url:
        raise UnsafeUrl("is empty")
    for ch in url:
        if ord(ch) <= 0x20 or ord(ch) == 0x7F or (0x80 <= ord(ch) <= 0x9F):
            raise UnsafeUrl("contains a space or a control character")
        if ch == "\\":
            raise UnsafeUrl("contains a backslash (read differently by different URL parsers)")
    match = _SCHEME.match(url)
    if not match:
        raise UnsafeUrl("must start with http:// or https://")
    scheme = match.group(1).lower()
    if scheme not in ("http", "https"):
        raise UnsafeUrl("must be an http:// or https:// URL")
    rest = url[match.end() :]
    if "?" in rest or "#" in rest:
        raise UnsafeUrl("a base URL has no ?query or #fragment")
    authority, slash, path_rest = rest.partition("/")
    path = slash + path_rest
    if "@" in authority:
        raise UnsafeUrl("must not contain a user name or password (user@host): give the token separately")
    if not _PATH.match(path):
        raise UnsafeUrl("the path holds characters that must be percent-encoded")
    if authority.startswith("["):
        host_part, bracket, port_part = authority.partition("]")
        host_part += bracket
        if port_part and not port_part.startswith(":"):
            raise UnsafeUrl("unexpected text after the IPv6 address")
        port_text = port_part[1:] if port_part else None
    else:
        host_part, colon, port_text_raw = authority.partition(":")
        port_text = port_text_raw if colon else None
    host = _check_host(host_part)
    default_port = 443 if scheme == "https" else 80
    if port_text is None:
        port = default_port
    else:
        if not _PORT.match(port_text) or not 1 <= int(port_text) <= 65535 or port_text.startswith("0"):
            raise UnsafeUrl("the port must be a number from 1 to 65535")
        port = int(port_text)
    # Defence in depth: urllib3 (what requests connects with) must read the same host and port.
    shown_host = f"[{host}]" if ":" in host else host
    normalized = f"{scheme}://{shown_host}" + (f":{port}" if port != default_port else "") + path.rstrip("/")
    try:
        theirs = parse_url(normalized)
    except LocationParseError:
        raise UnsafeUrl("cannot be parsed") from None
    their_host = (theirs.host or "").strip("[]").lower()
    if their_host != host or (theirs.port or default_port) != port or theirs.auth:
        raise UnsafeUrl("is read differently by the HTTP library; write it plainly")
    checked = CheckedUrl(scheme, host, port, path.rstrip("/"), normalized)
    if scheme == "http" and not checked.loopback:
        raise UnsafeUrl("plain http is allowed only to loopback (127.0.0.1, localhost, ::1); use https")
    return checked
