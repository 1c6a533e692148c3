"""The daily register for billing: one clinic day's live visits as CSV or XML.

CSV: UTF-8 with a BOM (so Excel on Windows reads Cyrillic), comma-separated, a header row,
CRLF line ends. XML: namespace `urn:desk-app:visit-register:1`, described in docs/visits.md
and by `resources/visit-register.xsd`. Cancelled visits are left out; overrides are included
and say which visit they override.

Every register carries the ledger's audit anchor as it was when the register was made
(desk_app.visits.anchors): the XML in the root's `AuditAnchor` attribute, the CSV as a last
line `# desk-app-audit-anchor seq=... head=... ledger=...` (`read_csv_register` skips it). The
copy billing receives is out of the desk's reach: `desk-app audit verify --anchor FILE` checks
the ledger against it.

Export never fails on stored data: whatever a row holds (text written around the app, with
control or bidi characters, bad UTF-8, a blob), it is written with desk_app.text_fields.printable
(odd characters as visible backslash-u escapes). CSV cells that Excel would run as a formula are
prefixed with `'`.

A new format is one function `(visits, day, tz, anchor) -> bytes` and one line in `FORMATS`; the CLI's
`export --format` choices are the keys of `FORMATS`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from desk_app.text_fields import printable
from desk_app.visits.model import Visit

XML_NAMESPACE = "urn:desk-app:visit-register:1"

CSV_COLUMNS: tuple[str, ...] = (
    "visit_id", "recorded_at", "visit_day", "policy_number", "last_name", "first_name", "middle_name",
    "birth_date", "service_code", "service_name", "doctor", "desk_id", "decision", "signature", "status",
    "status_source", "identity_check", "warn_reason", "override_of", "override_reason",
)  # fmt: skip


def _local(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).isoformat(timespec="seconds")


def _csv_row(v: Visit, tz: ZoneInfo) -> list[str]:
    values = {
        "visit_id": v.id,
        "recorded_at": _local(v.recorded_at, tz),
        "visit_day": v.visit_day.isoformat(),
        "policy_number": v.policy_number,
        "last_name": v.last_name,
        "first_name": v.first_name,
        "middle_name": v.middle_name,
        "birth_date": v.birth_date.isoformat() if v.birth_date else None,
        "service_code": v.service_code,
        "service_name": v.service_name,
        "doctor": v.doctor,
        "desk_id": v.desk_id,
        "decision": v.decision,
        "signature": v.signature,
        "status": v.status,
        "status_source": v.status_source,
        "identity_check": v.identity_check,
        "warn_reason": v.warn_reason,
        "override_of": v.override_of,
        "override_reason": v.override_reason,
    }
    return [_csv_safe(printable(values[c])) for c in CSV_COLUMNS]


def _csv_safe(text: str) -> str:
    """A cell starting with = + - @ (or a tab or CR) would run as a formula in Excel: prefix `'` (text)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _x(value: object) -> str:
    """Stored text as XML can carry it: control and format characters become visible escapes."""
    return printable(value)


def to_csv(visits: Sequence[Visit], tz: ZoneInfo, anchor: str | None = None) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for v in visits:
        writer.writerow(_csv_row(v, tz))
    if anchor:
        buf.write(f"{CSV_COMMENT}{anchor}\r\n")
    return buf.getvalue().encode("utf-8-sig")


CSV_COMMENT = "# "


def read_csv_register(data: bytes) -> list[dict[str, str]]:
    """The rows of a CSV register (the anchor line left out)."""
    text = data.decode("utf-8-sig")
    lines = [line for line in text.splitlines(keepends=True) if not line.startswith(CSV_COMMENT.strip())]
    return list(csv.DictReader(io.StringIO("".join(lines), newline="")))


def to_xml(
    visits: Sequence[Visit], day: date, tz: ZoneInfo, generated_at: datetime | None = None, anchor: str | None = None
) -> bytes:
    from lxml import etree  # only when an XML register is asked for (the CLI starts without it)

    ns = "{%s}" % XML_NAMESPACE  # noqa: UP031
    root = etree.Element(ns + "VisitRegister", nsmap={None: XML_NAMESPACE})
    root.set("Version", "1")
    root.set("Date", day.isoformat())
    root.set("TimeZone", str(tz))
    root.set("GeneratedAt", _local(generated_at or datetime.now(UTC), tz))
    root.set("Count", str(len(visits)))
    if anchor:
        root.set("AuditAnchor", anchor)
    for v in visits:
        el = etree.SubElement(root, ns + "Visit", Id=_x(v.id))
        etree.SubElement(el, ns + "RecordedAt").text = _local(v.recorded_at, tz)
        patient = etree.SubElement(el, ns + "Patient", PolicyNumber=_x(v.policy_number))
        for attr, value in (
            ("LastName", v.last_name),
            ("FirstName", v.first_name),
            ("MiddleName", v.middle_name),
            ("BirthDate", v.birth_date.isoformat() if v.birth_date else None),
        ):
            if value:
                patient.set(attr, _x(value))
        etree.SubElement(el, ns + "Service", Code=_x(v.service_code)).text = _x(v.service_name)
        etree.SubElement(el, ns + "Doctor").text = _x(v.doctor)
        etree.SubElement(el, ns + "Desk").text = _x(v.desk_id)
        etree.SubElement(
            el, ns + "Verdict",
            Decision=_x(v.decision), Signature=_x(v.signature), Status=_x(v.status),
            StatusSource=_x(v.status_source), IdentityCheck=_x(v.identity_check),
        )  # fmt: skip
        if v.warn_reason:
            etree.SubElement(el, ns + "StaffReason").text = _x(v.warn_reason)
        if v.override_of is not None:
            etree.SubElement(el, ns + "Override", Of=_x(v.override_of)).text = _x(v.override_reason)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# A format's renderer: (visits, day, zone, anchor line or None) -> the register's bytes.
Renderer = Callable[[Sequence[Visit], date, ZoneInfo, "str | None"], bytes]

# The register's formats: name -> renderer. The CLI offers exactly these (`export --format`).
FORMATS: dict[str, Renderer] = {
    "csv": lambda visits, day, tz, anchor: to_csv(visits, tz, anchor),
    "xml": lambda visits, day, tz, anchor: to_xml(visits, day, tz, anchor=anchor),
}


def render(visits: Sequence[Visit], day: date, tz: ZoneInfo, fmt: str, anchor: str | None = None) -> bytes:
    renderer = FORMATS.get(fmt)
    if renderer is None:
        raise ValueError(f"unknown export format {fmt!r} ({', '.join(FORMATS)})")
    return renderer(visits, day, tz, anchor)
