"""ENP/SNILS check digits (the spec's examples) and the QR payload forms with their limits."""

from __future__ import annotations

import zlib

import pytest

from desk_app.verify.numbers import enp_check_digit, enp_is_valid, group_enp, mask_enp, snils_is_valid
from desk_app.verify.payload import (
    MAX_QR_CHARS,
    PayloadError,
    base45_decode,
    base45_encode,
    decode_payload,
    encode_form_a,
    encode_form_b,
)
from tests.conftest import TEST_DATA


def _examples(name: str) -> list[tuple[bool, str]]:
    rows = []
    for line in (TEST_DATA / "examples" / name).read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, value = line.split(" ", 1)
            rows.append((kind == "valid", value.strip()))
    return rows


@pytest.mark.parametrize(("valid", "enp"), _examples("enp.txt"))
def test_enp_examples(valid: bool, enp: str) -> None:
    assert enp_is_valid(enp) is valid


def test_enp_worked_example_from_the_spec() -> None:
    assert enp_check_digit("123456789012345") == 2


def test_enp_refuses_non_ascii_digits() -> None:
    assert not enp_is_valid("１２３４５６７８９０１２３４５２")  # full-width digits


@pytest.mark.parametrize(("valid", "snils"), _examples("snils.txt"))
def test_snils_examples(valid: bool, snils: str) -> None:
    assert snils_is_valid(snils) is valid


def test_grouping_and_masking() -> None:
    assert group_enp("7700000000000016") == "7700 0000 0000 0016"
    assert mask_enp("7700000000000016") == "7700**********16"


@pytest.mark.parametrize(
    ("raw", "text"), [(b"AB", "BB8"), (b"Hello!!", "%69 VD92EX0"), (b"base-45", "UJCLQE7W581"), (b"ietf!", "QED8WEX0")]
)
def test_base45_rfc9285_vectors(raw: bytes, text: str) -> None:
    assert base45_encode(raw) == text
    assert base45_decode(text) == raw


@pytest.mark.parametrize("bad", ["GGW", "ZZZ", "A", "abc", "BB8ц"])
def test_base45_refuses_invalid_text(bad: str) -> None:
    with pytest.raises(PayloadError):
        base45_decode(bad)


def test_forms_a_and_b_give_the_same_document(policy_xml) -> None:
    xml = policy_xml()
    assert decode_payload(encode_form_a(xml)) == xml
    packed = encode_form_b(xml)
    assert packed.startswith("OMS1:")
    assert set(packed[5:]) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
    assert decode_payload(packed) == xml
    assert decode_payload(packed.encode("ascii")) == xml


def test_zlib_bomb_is_refused_without_inflating_it() -> None:
    bomb = "OMS1:" + base45_encode(zlib.compress(b"<" + b" " * (4 * 1024 * 1024), 9))
    assert len(bomb) <= MAX_QR_CHARS
    with pytest.raises(PayloadError, match="64 KiB"):
        decode_payload(bomb)


def test_overlong_qr_text_is_refused_unread() -> None:
    with pytest.raises(PayloadError, match="7,000"):
        decode_payload("<" + "a" * MAX_QR_CHARS)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "hello", "OMS1:", "OMS1:BB8", "OMS1:%69 VD92EX0", "OMS2:ABC", b"\xff\xfe<", "OMS1:" + "A" * 30],
)
def test_truncated_and_garbage_payloads_are_refused(text: str | bytes) -> None:
    with pytest.raises(PayloadError):
        decode_payload(text)


def test_truncated_zlib_stream_is_refused(policy_xml) -> None:
    packed = zlib.compress(policy_xml(), 9)
    with pytest.raises(PayloadError, match="truncated"):
        decode_payload("OMS1:" + base45_encode(packed[: len(packed) // 2]))
