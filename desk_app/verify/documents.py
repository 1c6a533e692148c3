"""Identity documents a policy can be searched by (registry-api.md, `POST /v1/policies/search`).

One rule per field, checked as typed by the window and before anything is sent by the command
line: a passport of the Russian Federation (series 4 ASCII digits, number 6), a birth
certificate (series: a Roman numeral in Latin capitals, a hyphen and two Cyrillic capitals;
number 6 ASCII digits), a СНИЛС (11 digits with a valid check number) and a real birth date.

A `DocumentQuery` never shows its values: `repr` and `str` name only the document type, so a
query that reaches a log line or a traceback carries no personal data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from desk_app.verify.numbers import snils_is_valid

DocumentKind = Literal["passport_rf", "birth_certificate", "snils"]
DOCUMENT_KINDS: tuple[str, ...] = ("passport_rf", "birth_certificate", "snils")
EARLIEST_BIRTH = date(1900, 1, 1)

# Problem codes (English, stable): the window words each in Russian, the CLI prints the English.
PASSPORT_FORMAT = "passport_format"
BIRTH_CERTIFICATE_SERIES = "birth_certificate_series"
BIRTH_CERTIFICATE_NUMBER = "birth_certificate_number"
SNILS_FORMAT = "snils_format"
SNILS_CHECK = "snils_check"
BIRTH_DATE_FORMAT = "birth_date_format"
BIRTH_DATE_FUTURE = "birth_date_future"
BIRTH_DATE_TOO_EARLY = "birth_date_too_early"

PROBLEM_MESSAGE: dict[str, str] = {
    PASSPORT_FORMAT: "a passport is 4 digits of series and 6 digits of number, e.g. '4510 123456'",
    BIRTH_CERTIFICATE_SERIES: "a birth certificate series is a Roman numeral in Latin capitals (I, V, X, L, C), "
    "a hyphen and two Cyrillic capitals, e.g. 'IV-МЮ'",
    BIRTH_CERTIFICATE_NUMBER: "a birth certificate number is 6 digits, e.g. 'IV-МЮ 654321'",
    SNILS_FORMAT: "a SNILS is 11 digits written 'NNN-NNN-NNN NN'",
    SNILS_CHECK: "the SNILS check number does not match its first 9 digits",
    BIRTH_DATE_FORMAT: "the birth date must be a real date, YYYY-MM-DD",
    BIRTH_DATE_FUTURE: "the birth date is in the future",
    BIRTH_DATE_TOO_EARLY: "the birth date is before 1900",
}

_PASSPORT = re.compile(r"([0-9]{4}) ?([0-9]{6})", re.ASCII)
_ROMAN = re.compile(r"C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_CERT_SERIES = re.compile(r"([IVXLC]+)-([А-ЯЁ]{2})")
_CERT_NUMBER = re.compile(r"[0-9]{6}", re.ASCII)
_SNILS_TYPED = re.compile(r"([0-9]{3})-?([0-9]{3})-?([0-9]{3})[ -]?([0-9]{2})", re.ASCII)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


class DocumentError(ValueError):
    """A typed document or birth date that breaks its rule; `problem` is one of the codes above."""

    def __init__(self, problem: str) -> None:
        super().__init__(PROBLEM_MESSAGE.get(problem, problem))
        self.problem = problem


@dataclass(frozen=True)
class DocumentQuery:
    """What the registry is asked: one document (or a СНИЛС) and the birth date, all checked."""

    kind: DocumentKind
    birth_date: date
    series: str = field(default="", repr=False)
    number: str = field(default="", repr=False)
    snils: str = field(default="", repr=False)  # 11 digits, no separators

    def __repr__(self) -> str:  # never the document's values: they are personal data
        return f"DocumentQuery(kind={self.kind!r})"

    __str__ = __repr__

    def request_body(self) -> dict[str, Any]:
        """The JSON body of `POST /v1/policies/search`."""
        if self.kind == "snils":
            return {"snils": self.snils, "birth_date": self.birth_date.isoformat()}
        return {
            "document": {"type": self.kind, "series": self.series, "number": self.number},
            "birth_date": self.birth_date.isoformat(),
        }


# -- one field at a time (the window checks each as it is typed) ----------------------------------
def passport_problem(text: str) -> str | None:
    return None if _PASSPORT.fullmatch(text.strip()) else PASSPORT_FORMAT


def roman_numeral_ok(text: str) -> bool:
    return bool(text) and _ROMAN.fullmatch(text) is not None


def certificate_series_problem(series: str) -> str | None:
    m = _CERT_SERIES.fullmatch(series)
    return None if m and roman_numeral_ok(m.group(1)) else BIRTH_CERTIFICATE_SERIES


def birth_certificate_problem(text: str) -> str | None:
    """`SERIES NNNNNN` (one space, or none): the series rule first, then the number's."""
    series, number = _split_certificate(text)
    return certificate_series_problem(series) or (None if _CERT_NUMBER.fullmatch(number) else BIRTH_CERTIFICATE_NUMBER)


def _split_certificate(text: str) -> tuple[str, str]:
    """(series, number) of a typed birth certificate: split at its last space, or, with none,
    the last six characters are the number."""
    typed = text.strip()
    series, _, number = typed.rpartition(" ")
    if not series:
        series, number = typed[:-6], typed[-6:]
    return series.strip(), number


def snils_problem(text: str) -> str | None:
    m = _SNILS_TYPED.fullmatch(text.strip())
    if m is None:
        return SNILS_FORMAT
    return None if snils_is_valid("{}-{}-{} {}".format(*m.groups())) else SNILS_CHECK


def document_problem(kind: str, text: str) -> str | None:
    if kind == "passport_rf":
        return passport_problem(text)
    if kind == "birth_certificate":
        return birth_certificate_problem(text)
    if kind == "snils":
        return snils_problem(text)
    raise ValueError(f"unknown document type {kind!r}")


def birth_date_problem(value: date, today: date) -> str | None:
    if value > today:
        return BIRTH_DATE_FUTURE
    if value < EARLIEST_BIRTH:
        return BIRTH_DATE_TOO_EARLY
    return None


def parse_birth_date(text: str, today: date) -> date:
    """`YYYY-MM-DD`, a real date, not in the future; raises DocumentError."""
    if not _ISO_DATE.fullmatch(text.strip()):
        raise DocumentError(BIRTH_DATE_FORMAT)
    try:
        value = date.fromisoformat(text.strip())
    except ValueError:
        raise DocumentError(BIRTH_DATE_FORMAT) from None
    problem = birth_date_problem(value, today)
    if problem:
        raise DocumentError(problem)
    return value


def make_query(kind: str, text: str, birth_date: date, today: date) -> DocumentQuery:
    """The checked query for a typed document; raises DocumentError naming the broken rule."""
    problem = document_problem(kind, text) or birth_date_problem(birth_date, today)
    if problem:
        raise DocumentError(problem)
    typed = text.strip()
    if kind == "passport_rf":
        m = _PASSPORT.fullmatch(typed)
        assert m is not None
        return DocumentQuery("passport_rf", birth_date, series=m.group(1), number=m.group(2))
    if kind == "birth_certificate":
        series, number = _split_certificate(typed)
        return DocumentQuery("birth_certificate", birth_date, series=series, number=number)
    m = _SNILS_TYPED.fullmatch(typed)
    assert m is not None
    return DocumentQuery("snils", birth_date, snils="".join(m.groups()))


def body_problem(body: Any) -> str | None:
    """The field a search body gets wrong (the registry's 400 `error`), or None when it follows
    the contract. Used by the reference registry; the desk builds bodies with `make_query`."""
    if not isinstance(body, dict):
        return "body"
    birth = body.get("birth_date")
    if not isinstance(birth, str) or not _ISO_DATE.fullmatch(birth):
        return "birth_date"
    try:
        date.fromisoformat(birth)
    except ValueError:
        return "birth_date"
    has_doc, has_snils = "document" in body, "snils" in body
    if has_doc == has_snils:
        return "document"  # exactly one of document or snils
    if has_snils:
        snils = body["snils"]
        if not isinstance(snils, str) or not re.fullmatch(r"[0-9]{11}", snils, re.ASCII):
            return "snils"
        return None if snils_is_valid(f"{snils[:3]}-{snils[3:6]}-{snils[6:9]} {snils[9:]}") else "snils"
    doc = body["document"]
    if not isinstance(doc, dict) or doc.get("type") not in ("passport_rf", "birth_certificate"):
        return "document.type"
    series, number = doc.get("series"), doc.get("number")
    if not isinstance(series, str) or not isinstance(number, str):
        return "document.series" if not isinstance(series, str) else "document.number"
    if doc["type"] == "passport_rf" and not re.fullmatch(r"[0-9]{4}", series, re.ASCII):
        return "document.series"
    if doc["type"] == "birth_certificate" and certificate_series_problem(series):
        return "document.series"
    if not _CERT_NUMBER.fullmatch(number):
        return "document.number"
    return None
