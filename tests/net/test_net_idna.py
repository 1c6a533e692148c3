"""Issue 19 item 7: a host name mixing scripts (look-alike letters) is refused, in the config
too, with a message naming the characters of each script."""

from __future__ import annotations

from pathlib import Path

import idna
import pytest

from desk_app.config import ConfigError
from desk_app.net.urls import UnsafeUrl, check_url
from tests.helpers.config_files import load_url_setting

APPLE = "аррӏе.com"  # Cyrillic а, р, р, ӏ (palochka), е under a Latin "com"
MIXED = [
    (f"https://{APPLE}/", ["Cyrillic", "'ӏ' (U+04CF)", "'а' (U+0430)", "Latin", "'c' (U+0063)"]),
    (f"https://{idna.encode(APPLE, uts46=True).decode()}/", ["Cyrillic", "'ӏ' (U+04CF)", "Latin"]),  # as xn--
    ("https://pаypal.example/", ["Latin 'p' (U+0070)", "Cyrillic 'а' (U+0430)"]),  # one label mixed
    ("https://реестр.example/", ["Cyrillic", "Latin"]),
    ("https://αpi.example/", ["Greek 'α' (U+03B1)", "Latin"]),
]


@pytest.mark.parametrize(("url", "named"), MIXED)
def test_mixed_script_hosts_are_refused_naming_the_characters(url: str, named: list[str]) -> None:
    with pytest.raises(UnsafeUrl, match="mixes scripts") as refused:
        check_url(url)
    for part in named:
        assert part in str(refused.value)


@pytest.mark.parametrize("key", ["registry.url", "trust.url"])
def test_the_config_refuses_a_mixed_script_host_naming_key_and_characters(tmp_path: Path, key: str) -> None:
    with pytest.raises(ConfigError, match=rf"'{key}'.*mixes scripts.*U\+04CF"):
        load_url_setting(tmp_path, key, f"https://{APPLE}/api")


@pytest.mark.parametrize(
    ("url", "normalized"),
    [
        ("https://реестр.рф/api", "https://xn--e1aa5aceg.xn--p1ai/api"),  # Cyrillic throughout
        ("https://xn--e1aa5aceg.xn--p1ai/api", "https://xn--e1aa5aceg.xn--p1ai/api"),
        ("https://müller.example/", "https://xn--mller-kva.example"),  # Latin with a diacritic
        ("https://реестр-2.рф/", "https://xn---2-mlca7ccgi.xn--p1ai"),  # digits and hyphens are neutral
        ("https://registry.tfoms.example/api", "https://registry.tfoms.example/api"),
    ],
)
def test_single_script_hosts_pass(url: str, normalized: str) -> None:
    assert check_url(url).url == normalized
