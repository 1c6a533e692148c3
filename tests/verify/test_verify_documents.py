"""The rules of a search by document (desk_app.verify.documents): what the window checks as typed,
what the CLI refuses before sending, and what the reference registry answers 400 for."""

from __future__ import annotations

from datetime import date

import pytest

from desk_app.verify import documents as d
from desk_app.verify.documents import DocumentError, body_problem, make_query, parse_birth_date

TODAY = date(2026, 12, 6)


@pytest.mark.parametrize(
    ("text", "problem"),
    [("4510 123456", None), ("4510123456", None), (" 4510 123456 ", None), ("451 0123456", d.PASSPORT_FORMAT),
     ("4510  123456", d.PASSPORT_FORMAT), ("4510 12345", d.PASSPORT_FORMAT),
     ("４５１０ １２３４５６", d.PASSPORT_FORMAT), ("4510 12345٦", d.PASSPORT_FORMAT),
     ("45-10 123456", d.PASSPORT_FORMAT)],
)  # fmt: skip
def test_passport_is_4_and_6_ascii_digits(text: str, problem: str | None) -> None:
    assert d.passport_problem(text) == problem


@pytest.mark.parametrize(
    ("text", "problem"),
    [("IV-МЮ 654321", None), ("I-АА 000001", None), ("XIV-ЁЖ 123456", None), ("XC-АБ 123456", None),
     ("CCCXC-АБ 123456", None), ("IV-МЮ654321", None),
     ("IIII-МЮ 654321", d.BIRTH_CERTIFICATE_SERIES),  # not a Roman numeral
     ("VX-МЮ 654321", d.BIRTH_CERTIFICATE_SERIES), ("M-МЮ 654321", d.BIRTH_CERTIFICATE_SERIES),  # M: not allowed
     ("IV-MU 654321", d.BIRTH_CERTIFICATE_SERIES),  # Latin letters where Cyrillic capitals go
     ("IV-Мю 654321", d.BIRTH_CERTIFICATE_SERIES), ("ІV-МЮ 654321", d.BIRTH_CERTIFICATE_SERIES),  # Ukrainian І
     ("IVМЮ 654321", d.BIRTH_CERTIFICATE_SERIES), ("-МЮ 654321", d.BIRTH_CERTIFICATE_SERIES),
     ("IV-МЮ 65432", d.BIRTH_CERTIFICATE_NUMBER), ("IV-МЮ 6543210", d.BIRTH_CERTIFICATE_NUMBER)],
)  # fmt: skip
def test_birth_certificate_series_and_number(text: str, problem: str | None) -> None:
    assert d.birth_certificate_problem(text) == problem


@pytest.mark.parametrize(
    ("text", "problem"),
    [("112-233-445 95", None), ("11223344595", None), ("112 233 445 95", d.SNILS_FORMAT),
     ("112-233-445 96", d.SNILS_CHECK), ("452-117-850 62", None), ("112-233-445", d.SNILS_FORMAT),
     ("001-001-998 00", None)],  # the check applies only above 001-001-998
)  # fmt: skip
def test_snils_check_number(text: str, problem: str | None) -> None:
    assert d.snils_problem(text) == problem


@pytest.mark.parametrize(
    ("text", "problem"),
    [("1985-02-30", d.BIRTH_DATE_FORMAT), ("1985-3-14", d.BIRTH_DATE_FORMAT), ("14.03.1985", d.BIRTH_DATE_FORMAT),
     ("2026-12-07", d.BIRTH_DATE_FUTURE), ("1899-12-31", d.BIRTH_DATE_TOO_EARLY),
     ("１９８５-03-14", d.BIRTH_DATE_FORMAT)],
)  # fmt: skip
def test_birth_date_is_a_real_past_date(text: str, problem: str) -> None:
    with pytest.raises(DocumentError) as caught:
        parse_birth_date(text, TODAY)
    assert caught.value.problem == problem and str(caught.value) == d.PROBLEM_MESSAGE[problem]


def test_queries_follow_the_contract_and_the_registry_accepts_them() -> None:
    born = date(1985, 3, 14)
    passport = make_query("passport_rf", "4510123456", born, TODAY)
    snils = make_query("snils", "112-233-445 95", born, TODAY)
    cert = make_query("birth_certificate", "IV-МЮ 654321", date(2019, 5, 2), TODAY)
    assert passport.request_body() == {"document": {"type": "passport_rf", "series": "4510", "number": "123456"},
                                       "birth_date": "1985-03-14"}  # fmt: skip
    assert snils.request_body() == {"snils": "11223344595", "birth_date": "1985-03-14"}
    assert cert.request_body()["document"] == {"type": "birth_certificate", "series": "IV-МЮ", "number": "654321"}
    assert all(body_problem(q.request_body()) is None for q in (passport, snils, cert))
    for query in (passport, snils, cert):  # the values never show in a repr, a str or a traceback
        assert "123456" not in repr(query) and "11223344595" not in str(query) and "МЮ" not in repr(query)


def test_make_query_refuses_what_breaks_a_rule() -> None:
    with pytest.raises(DocumentError) as caught:
        make_query("snils", "112-233-445 96", date(1985, 3, 14), TODAY)
    assert caught.value.problem == d.SNILS_CHECK
    with pytest.raises(DocumentError) as caught:
        make_query("passport_rf", "4510 123456", date(2027, 1, 1), TODAY)
    assert caught.value.problem == d.BIRTH_DATE_FUTURE
    with pytest.raises(ValueError, match="unknown document type"):
        make_query("driving_licence", "77 01 123456", date(1985, 3, 14), TODAY)
