"""Issue 19 item 7: the wedge detector's buffers have a bound, whatever a machine types.

The detector is fed key records the way the Qt adapter builds them (press and release, the
window system's own millisecond stamps); no Qt is needed for the bound itself."""

from __future__ import annotations

from desk_app.scanner import wedge
from desk_app.scanner.wedge import KeyKind, KeyRecord, Refusal, WedgeConfig, WedgeDetector
from desk_app.verify.payload import MAX_QR_CHARS, encode_form_b


def _burst(text: str, start_ms: float, pace_ms: float = 2.0, code: int = 100) -> list[KeyRecord]:
    out = []
    for i, ch in enumerate(text):
        at = start_ms + i * pace_ms
        out.append(KeyRecord(KeyKind.CHAR, True, ch, ord(ch.upper()), ch.isupper(), at, code=code + i))
        out.append(KeyRecord(KeyKind.CHAR, False, ch, ord(ch.upper()), ch.isupper(), at + 1, code=code + i))
    return out


def test_cut_scan_buffer_is_bounded_under_endless_bursts() -> None:
    """The issue's case: a policy code's start, then 2,000 bursts of 8 characters at a machine's
    pace, each after a stall and none with a terminator. Before, every burst was kept as the rest
    of the cut scan (17,147 key records after 2,000 bursts)."""
    detector = WedgeDetector(WedgeConfig())
    at = 0.0
    for record in _burst("OMS1:6BFOXN", at):
        detector.feed(record)
    assert detector.gap_over().refusal is Refusal.CUT_SHORT
    peak = 0
    for n in range(2000):
        at += 600.0  # a stall longer than the tolerance, well within the rejoin window
        for record in _burst("ABCDEFGH"[n % 8 :] + "ABCDEFGH"[: n % 8], at):
            detector.feed(record)
        detector.gap_over()
        peak = max(peak, detector.buffered_records)
    assert peak <= wedge.MAX_BUFFERED_RECORDS
    assert wedge.MAX_BUFFERED_RECORDS <= 5 * (MAX_QR_CHARS + 100)


def test_an_endless_burst_without_a_gap_is_bounded() -> None:
    """A machine typing on and on at 2 ms a key, never a terminator and never a gap."""
    detector = WedgeDetector(WedgeConfig())
    peak = 0
    for i, record in enumerate(_burst("OMS1:" + "A1" * 20_000, 0.0)):
        detector.feed(record)
        if i % 500 == 0:
            peak = max(peak, detector.buffered_records)
    assert peak <= wedge.MAX_BUFFERED_RECORDS


def test_a_real_scan_split_by_a_stall_is_still_made_whole() -> None:
    """The bound leaves the rejoining of a genuine scan (the longest QR text) alone."""
    payload = encode_form_b(("<Policy>" + "ж" * 2000 + "</Policy>").encode())
    assert len(payload) < MAX_QR_CHARS
    detector = WedgeDetector(WedgeConfig())
    head, tail = payload[:40], payload[40:]
    for record in _burst(head, 0.0):
        detector.feed(record)
    assert detector.gap_over().refusal is Refusal.CUT_SHORT
    start = 40 * 2.0 + 600.0
    for record in _burst(tail, start):
        detector.feed(record)
    enter = KeyRecord(KeyKind.TERMINATOR, True, "\r", 0x01000004, False, start + len(tail) * 2.0, code=36)
    assert detector.feed(enter).scan == payload
