"""URLs, TLS and the token rules of the one HTTP session factory (issue 11 item 3, issue 12).

The host is decided as the connection will be made, anything ambiguous is refused, the token
never goes over plain http off this computer nor across a redirect (redirects are never
followed), and the trust download verifies TLS with the configured CA bundle, as the registry does.
"""

from __future__ import annotations

import ipaddress
import socket
import struct
import time
from pathlib import Path

import pytest
import requests
import urllib3.util.connection

from desk_app.config import ConfigError, Settings
from desk_app.core.judge import Judge
from desk_app.doctor.registry_checks import check_registry
from desk_app.net.http import HttpFailure, fetch, make_session
from desk_app.net.urls import UnsafeUrl, check_url
from desk_app.registry.client import RegistryClient, RegistryFailure
from desk_app.verify.trust_store import TrustStore, TrustUpdateError
from tests.helpers.config_files import load_url_setting
from tests.helpers.hostile_http import Exchange, answer, hostile_server, redirect_to
from tests.helpers.registry import TOKEN, make_client
from tests.helpers.tls import https_directory, make_ca_and_server_cert

REFUSED = [
    ("http://192.0.2.2:18520\\@127.0.0.1", "backslash"),  # urllib3 connects to 192.0.2.2
    ("http://127.0.0.1\\@192.0.2.2", "backslash"),
    ("https://user:pass@registry.example/api", "user name or password"),
    ("http://127.0.0.1@192.0.2.2/", "user name or password"),
    ("http://192.0.2.2#@127.0.0.1/", "query or #fragment"),
    ("http://192.0.2.2?@127.0.0.1/", "query or #fragment"),
    ("http://127.0.0.1 /api", "control character"),
    ("http://127.0.0.1/a\tb", "control character"),
    ("http://127.0.0.1/\x00", "control character"),
    ("https://registry.example/api\u200b", "percent-encoded"),
    ("https://reg\u00adistry.example/", "plain form"),
    ("https://xn--zz.example/", "internationalized"),
    ("http://127.1:8080/", "canonical IPv4"),
    ("http://2130706433/", "canonical IPv4"),
    ("http://0x7f.0.0.1/", "canonical IPv4"),
    ("http://127.0.0.1:0/", "port"),
    ("http://127.0.0.1:65536/", "port"),
    ("http://127.0.0.1:+80/", "port"),
    ("http://127.0.0.1:080/", "port"),
    ("http://[fe80::1%25eth0]:80/", "zone"),
    ("http://127.0.0.1: 80/", "control character"),
    ("http://[::1/", "IPv6"),
    ("http://registry.example/api", "plain http is allowed only to loopback"),
    ("http://192.0.2.2:18520/", "plain http is allowed only to loopback"),
    ("ftp://127.0.0.1/", "http:// or https://"),
    ("//127.0.0.1/", "http:// or https://"),
]


@pytest.mark.parametrize(("url", "why"), REFUSED)
def test_ambiguous_or_unsafe_urls_are_refused(url: str, why: str) -> None:
    with pytest.raises(UnsafeUrl, match=why):
        check_url(url)


@pytest.mark.parametrize("key", ["registry.url", "trust.url"])
@pytest.mark.parametrize(("url", "why"), REFUSED[:6])
def test_config_refuses_bad_urls_naming_the_key(tmp_path: Path, key: str, url: str, why: str) -> None:
    with pytest.raises(ConfigError, match=rf"'{key}'.*{why}"):
        load_url_setting(tmp_path, key, url)


@pytest.mark.parametrize(
    ("url", "host", "normalized"),
    [
        ("http://127.0.0.1:8080/api/", "127.0.0.1", "http://127.0.0.1:8080/api"),
        ("HTTP://LOCALHOST:5/", "localhost", "http://localhost:5"),
        ("http://[::1]:99/x", "::1", "http://[::1]:99/x"),
        ("https://registry.tfoms.example/api", "registry.tfoms.example", "https://registry.tfoms.example/api"),
        ("https://реестр.рф/api", "xn--e1aa5aceg.xn--p1ai", "https://xn--e1aa5aceg.xn--p1ai/api"),
    ],
)
def test_plain_urls_pass_normalized(url: str, host: str, normalized: str) -> None:
    checked = check_url(url)
    assert (checked.host, checked.url) == (host, normalized)


def test_the_client_refuses_an_unsafe_url_even_when_built_directly() -> None:
    with pytest.raises(ValueError, match="backslash"):
        RegistryClient("http://192.0.2.2:18520\\@127.0.0.1", TOKEN, "desk-1")


def test_the_session_never_sends_a_token_over_plain_http_off_loopback() -> None:
    session = make_session()
    start = time.monotonic()
    with pytest.raises(HttpFailure) as caught:  # refused before any connection is tried
        fetch(session, "http://192.0.2.2:18520/v1/policies", deadline=time.monotonic() + 5, max_body=100,
              token=TOKEN)  # fmt: skip
    assert caught.value.kind == "refused_url"
    assert time.monotonic() - start < 1.0
    with pytest.raises(HttpFailure, match="refused to ask"):  # and a crafted URL given to requests directly
        session.get("http://192.0.2.2:18520\\@127.0.0.1/v1/policies", headers={"Authorization": "Bearer x"})


def _another_address_of_this_machine() -> str | None:
    """A non-loopback IPv4 address of this machine (the one routing to a documentation address)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # UDP connect sends nothing: it only picks the route
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if ipaddress.ip_address(address).is_loopback else address


def _resolve_localhost_to(monkeypatch: pytest.MonkeyPatch, address: str) -> None:
    """A clinic PC whose hosts file or DNS answers `localhost` with another address."""
    real = socket.getaddrinfo

    def resolver(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        return real(address if host == "localhost" else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)


def test_plain_http_to_localhost_that_resolves_elsewhere_sends_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """`localhost` passes the URL rules by name; the connection, as made, must reach this computer."""
    address = _another_address_of_this_machine()
    if address is None:
        pytest.skip("this machine has no address but loopback to stand in for another computer")
    with hostile_server(answer(200, b'{"items": [], "next_cursor": null}'), host=address) as elsewhere:
        _resolve_localhost_to(monkeypatch, address)
        for token in (TOKEN, ""):  # neither the token nor a plain request goes off this computer
            with pytest.raises(HttpFailure) as caught:
                fetch(make_session(), f"http://localhost:{elsewhere.port}/v1/policies",
                      deadline=time.monotonic() + 5, max_body=1000, token=token)  # fmt: skip
            assert caught.value.kind == "refused_url"
            assert "another computer" in caught.value.detail
        time.sleep(0.3)  # let the server note whatever it was sent
    assert [ex.request_head for ex in elsewhere.exchanges] == [b"", b""]  # connected, then closed unsent
    # The same server asked by its address over https would be fine to try (TLS names the host);
    # over plain http the URL rules refuse it before connecting.
    with pytest.raises(UnsafeUrl):
        check_url(f"http://{address}:{elsewhere.port}")


def test_a_loopback_connection_reset_as_it_opens_is_dropped_not_another_computer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A server on this computer that resets the connection at once (a registry shutting down)
    leaves a socket with no peer to name: that is a dropped connection, not one that reached
    another computer (which would be logged as a refused, possibly spoofed, address)."""

    def reset(ex: Exchange) -> None:
        ex.conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        ex.conn.close()

    real_connect = urllib3.util.connection.create_connection

    def connect_then_wait(*args, **kwargs):  # type: ignore[no-untyped-def]
        sock = real_connect(*args, **kwargs)
        time.sleep(0.3)  # the reset arrives before the peer is looked at, as on a busy PC
        return sock

    monkeypatch.setattr(urllib3.util.connection, "create_connection", connect_then_wait)
    with hostile_server(reset, read_head=False) as closing:
        with pytest.raises(HttpFailure) as caught:
            fetch(make_session(), f"{closing.url}/v1/policies", deadline=time.monotonic() + 5, max_body=1000)
    assert caught.value.kind == "dropped", caught.value
    assert "another computer" not in caught.value.detail


def test_plain_http_to_localhost_on_this_computer_still_works() -> None:
    with hostile_server(answer(200, b'{"items": [], "next_cursor": null}')) as registry:
        reply = fetch(make_session(), f"http://localhost:{registry.port}/v1/policies",
                      deadline=time.monotonic() + 5, max_body=1000, token=TOKEN)  # fmt: skip
        assert reply.status == 200
        assert registry.exchanges[-1].header("Authorization") == f"Bearer {TOKEN}"


@pytest.mark.expect_log_warnings
@pytest.mark.parametrize("target", ["other-host", "plain-http", "https"])
def test_a_redirect_is_never_followed_and_the_token_never_leaves(target: str) -> None:
    with hostile_server(answer(200, b'{"items": [], "next_cursor": null}')) as elsewhere:
        location = {
            "other-host": f"http://localhost:{elsewhere.port}/v1/policies",
            "plain-http": f"http://127.0.0.2:{elsewhere.port}/v1/policies",
            "https": f"https://127.0.0.1:{elsewhere.port}/v1/policies",
        }[target]
        with hostile_server(redirect_to(location)) as registry:
            client = make_client(registry.url)
            with pytest.raises(RegistryFailure) as caught:
                client.get_changes(None, None, 10, timeout=2)
            assert caught.value.reason == "registry_bad_response"
            assert "redirect" in caught.value.detail
            # Even a caller asking requests to follow redirects gets the 302 itself.
            response = client._session.get(registry.url + "/x", allow_redirects=True, timeout=2,
                                           headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
            assert response.status_code == 302
            client.close()
            assert registry.exchanges[0].header("Authorization") == f"Bearer {TOKEN}"
        assert elsewhere.exchanges == []  # the redirect target never saw a request, let alone the token


def test_doctor_says_the_registry_redirects() -> None:
    with hostile_server(redirect_to("https://elsewhere.example/api")) as registry:
        results = check_registry(Settings(registry_url=registry.url, registry_token=TOKEN))
    assert results[0].level == "error"
    assert "redirect" in results[0].message and "elsewhere.example" in results[0].message


def test_trust_download_uses_the_configured_ca_bundle(treasury, tmp_path: Path) -> None:
    """Behind a clinic's TLS-inspecting proxy: the registry's CA bundle also serves the trust download."""
    ca, cert, key = make_ca_and_server_cert(tmp_path / "tls")
    with https_directory(treasury.base_dir, cert, key) as url:
        store = TrustStore(treasury.root_pem_path, tmp_path / "cache")
        with pytest.raises(TrustUpdateError, match="tls"):  # not in the system store: refused, never unchecked
            store.refresh(url, timeout=(1.0, 5.0))
        settings = Settings(trust_root=str(treasury.root_pem_path), data_dir=str(tmp_path), trust_url=url,
                            registry_ca_bundle=str(ca))  # fmt: skip
        judge = Judge(settings, TrustStore(settings.trust_root_path, settings.trust_cache_dir))
        assert judge.refresh_trust() is True
        assert len(judge.trust.snapshot.certs) == 6


@pytest.mark.expect_log_warnings
def test_the_registry_client_verifies_tls_with_the_configured_ca_bundle(tmp_path: Path) -> None:
    ca, cert, key = make_ca_and_server_cert(tmp_path / "tls")
    (tmp_path / "www" / "v1").mkdir(parents=True)
    (tmp_path / "www" / "v1" / "policies").write_text('{"items": [], "next_cursor": null}')
    with https_directory(tmp_path / "www", cert, key) as url:
        trusting = make_client(url, ca_bundle=str(ca))
        assert trusting.get_changes(None, None, 1, timeout=5).items == []
        with pytest.raises(RegistryFailure, match="TLS"):
            make_client(url).get_changes(None, None, 1, timeout=5)
        with pytest.raises(requests.exceptions.SSLError):  # the factory never switches verification off
            make_session().get(url + "/v1/policies", timeout=5)
