"""The demo material: a TEST Treasury, signed demo policies (forms A and B, PNG QR codes) and the
registry records that go with them. `desk-app demo-issue` writes it; resources/demo/ holds a copy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from desk_app.demo.issuer import PolicyData, TestTreasury, make_enp
from desk_app.verify.payload import encode_form_a, encode_form_b

ALGORITHM_LABELS = {"gost": "ГОСТ Р 34.10-2012", "rsa": "RSA", "ec": "ECDSA P-256"}


@dataclass(frozen=True)
class DemoCase:
    name: str
    policy: PolicyData
    signer: str | None = None  # None: the Treasury's default signer (GOST-256 for a GOST Treasury)
    embed_cert: bool = True
    registry: dict | None = None  # the registry record; None = not in the registry
    tamper: bool = False
    title: str = ""


# The documents each demo person may show at the desk (registry-api.md, search): everyone has a
# passport, some a SNILS; the registry-only child has a birth certificate. Passports must be
# unique, so they are listed here rather than taken from the (partly copied) signed policy data.
DEMO_DOCUMENTS: dict[str, dict[str, str]] = {
    "active": {"passport": "4510 123456", "snils": "112-233-445 95"},
    "active-ec": {"passport": "4603 765432", "snils": "452-117-850 62"},
    "expired": {"passport": "4015 111222"},
    "suspended": {"passport": "9205 334455"},
    "holder-mismatch": {"passport": "4604 998877"},
    "tampered": {"passport": "4512 778899"},
    "crl-missing": {"passport": "4511 202122"},
    "active-gost512": {"passport": "4604 112233"},
    "active-intermediate": {"passport": "4512 445566"},
}
CHILD_ENP_BODY = "770000000000011"  # the registry-only child (no QR code): found by birth certificate


def holder_fields(p: PolicyData, documents: dict[str, str]) -> dict:
    """The search part of a seed entry: who holds the policy and which documents they show."""
    holder = {"last_name": p.last_name, "first_name": p.first_name, "middle_name": p.middle_name, "sex": p.sex}
    return {"holder": holder, "documents": dict(documents)}


def registry_only_people(now: datetime) -> list[dict]:
    """Seed entries with no demo QR code: a child who shows a birth certificate."""
    updated = (now - timedelta(days=10)).replace(microsecond=0).isoformat()
    child = PolicyData(number=make_enp(CHILD_ENP_BODY), last_name="Иванова", first_name="Дарья",
                       middle_name="Андреевна", birth_date=date(2019, 5, 2), sex="F")  # fmt: skip
    return [{
        "enp": child.number, "status": "active", "valid_to": None, "insurer_code": child.insurer_code,
        "birth_date": child.birth_date.isoformat(), "reason": None, "updated_at": updated,
        **holder_fields(child, {"birth_certificate": "IV-МЮ 654321"}),
    }]  # fmt: skip


def demo_cases(now: datetime, algorithm: str = "gost") -> list[DemoCase]:
    """The demo policies; the list is open to new cases (each needs its own ENP)."""
    issued = (now - timedelta(days=3)).replace(microsecond=0)
    updated = (now - timedelta(days=10)).replace(microsecond=0).isoformat()

    def rec(p: PolicyData, status: str = "active", **kw: object) -> dict:
        return {
            "enp": p.number,
            "status": status,
            "valid_to": p.valid_to.isoformat() if p.valid_to else None,
            "insurer_code": p.insurer_code,
            "birth_date": p.birth_date.isoformat(),
            "reason": None,
            "updated_at": updated,
            **kw,
        }

    ivanova = PolicyData(number=make_enp("770000000000001"), issued_at=issued)
    petrov = PolicyData(
        number=make_enp("500000000000002"),
        last_name="Петров",
        first_name="Алексей",
        middle_name="Игоревич",
        birth_date=date(1971, 8, 2),
        sex="M",
        snils="452-117-850 62",
        passport="4603 765432",
        salt=b"\x22" * 16,
        region="Московская область",
        okato="46",
        issued_at=issued,
    )
    smirnova = PolicyData(
        number=make_enp("780000000000003"),
        last_name="Смирнова",
        first_name="Анна",
        middle_name=None,
        birth_date=date(2001, 11, 30),
        kind="temporary",
        valid_from=date(2025, 6, 1),
        valid_to=date(2025, 12, 31),
        snils=None,
        passport="4015 111222",
        salt=b"\x33" * 16,
        region="г. Санкт-Петербург",
        okato="40",
        insurer_code="78001",
        issued_at=datetime(2025, 6, 1, 10, 0, tzinfo=UTC),
    )
    kuznetsov = PolicyData(
        number=make_enp("160000000000004"),
        last_name="Кузнецов",
        first_name="Ильдар",
        middle_name="Рашидович",
        birth_date=date(1990, 1, 5),
        sex="M",
        snils=None,
        passport=None,
        region="Республика Татарстан",
        okato="92",
        insurer_code="16005",
        issued_at=issued,
    )
    orlova = replace(
        ivanova,
        number=make_enp("770000000000005"),
        last_name="Орлова",
        first_name="Светлана",
        middle_name="Викторовна",
        birth_date=date(1979, 4, 22),
        salt=b"\x44" * 16,
        passport="4511 654321",
    )
    belov = replace(
        petrov,
        number=make_enp("500000000000006"),
        last_name="Белов",
        first_name="Дмитрий",
        middle_name="Сергеевич",
        birth_date=date(1965, 12, 9),
    )
    sokolova = replace(
        ivanova,
        number=make_enp("770000000000007"),
        last_name="Соколова",
        first_name="Ольга",
        middle_name="Андреевна",
        birth_date=date(1993, 7, 17),
    )
    label = ALGORITHM_LABELS[algorithm]
    cases = [
        DemoCase("active", ivanova, registry=rec(ivanova), title=f"Действующий полис ({label}, сертификат в коде)"),
        DemoCase(
            "active-ec",
            petrov,
            signer="ec",
            embed_cert=False,
            registry=rec(petrov),
            title="Действующий полис (ECDSA P-256 через промежуточный сертификат, ссылка на сертификат)",
        ),
        DemoCase("expired", smirnova, registry=rec(smirnova, "expired"), title="Срок действия истёк"),
        DemoCase(
            "suspended",
            kuznetsov,
            registry=rec(kuznetsov, "suspended", reason="Приостановлен по заявлению"),
            title="Полис приостановлен",
        ),
        DemoCase("not-found", orlova, registry=None, title="Нет в регистре"),
        DemoCase(
            "holder-mismatch",
            belov,
            registry=rec(belov, birth_date="1966-12-09"),
            title="Дата рождения не совпадает с регистром",
        ),
        DemoCase("tampered", sokolova, registry=rec(sokolova), tamper=True, title="Документ изменён после подписи"),
        DemoCase(
            "revoked",
            replace(sokolova, number=make_enp("770000000000008")),
            signer="revoked",
            title="Сертификат подписанта отозван",
        ),
        # amber: a good signature and an active policy, but the signer's CA publishes no CRL
        DemoCase(
            "crl-missing",
            lebedeva := replace(orlova, number=make_enp("770000000000009"), last_name="Лебедева", salt=b"\x77" * 16),
            signer=NO_CRL_SIGNER,
            registry=rec(lebedeva),
            title="Отзыв подписи не проверен — решение за сотрудником",
        ),
    ]
    if algorithm == "gost":
        volkov = replace(
            petrov, number=make_enp("500000000000009"), last_name="Волков", first_name="Игорь", middle_name="Олегович",
            birth_date=date(1982, 2, 11), snils=None, passport="4604 112233", salt=b"\x55" * 16,
        )
        zaitseva = replace(
            ivanova, number=make_enp("770000000000010"), last_name="Зайцева", first_name="Елена", middle_name=None,
            birth_date=date(1998, 9, 3), snils=None, passport="4512 445566", salt=b"\x66" * 16,
        )
        cases += [
            DemoCase(
                "active-gost512", volkov, signer="gost512", registry=rec(volkov),
                title="Действующий полис (ГОСТ Р 34.10-2012, 512 бит)",
            ),
            DemoCase(
                "active-intermediate", zaitseva, signer="gost256-inter", embed_cert=False, registry=rec(zaitseva),
                title="Действующий полис (ГОСТ, промежуточный сертификат, ссылка на сертификат)",
            ),
        ]
    return cases


NO_CRL_SIGNER = "no-crl"


def add_signer_without_crl(treasury: TestTreasury, now: datetime, years: int) -> bytes:
    """The warn case's signer, of the Treasury's own kind, issued by a second TEST intermediate
    that publishes no CRL (revocation cannot be checked: amber). Returns that CA's PEM."""
    from desk_app.demo.issuer import TREASURY_KINDS
    from desk_app.demo.pki import Issued, issue_cert, new_key, pem

    _root_kind, ca_kind, specs = TREASURY_KINDS[treasury.algorithm]
    until = now + timedelta(days=years * 365)
    ca_key = new_key(ca_kind)
    ca = Issued(ca_key, issue_cert("TEST-ONLY Treasury Intermediate (no CRL)", ca_key, treasury.root, ca=True,
                                   not_before=now - timedelta(days=365), not_after=until))  # fmt: skip
    key = new_key(specs[0].kind)
    treasury.signers[NO_CRL_SIGNER] = Issued(key, issue_cert(
        f"TEST-ONLY Treasury signer {NO_CRL_SIGNER}", key, ca, ca=False,
        not_before=now - timedelta(days=365), not_after=until))  # fmt: skip
    return pem(ca.cert)


def render_qr_png(text: str, path: Path, *, box_size: int = 4) -> None:
    """Form A in byte mode (UTF-8 bytes), form B in alphanumeric mode, error correction M."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=4)
    qr.add_data(text.encode("utf-8") if text.startswith("<") else text)
    qr.make(fit=True)
    qr.make_image(fill_color="black", back_color="white").save(str(path))


def write_demo_set(
    out: Path, *, now: datetime | None = None, years: int = 10, algorithm: str = "gost"
) -> TestTreasury:
    """A TEST Treasury in out/treasury-private (with private keys), public trust files and policies in out/.

    `algorithm`: gost (the default: the Treasury's real shape), rsa or ec.
    """
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    treasury = TestTreasury.create(
        out / "treasury-private", now=now, years=years, crl_days=years * 365, algorithm=algorithm
    )
    no_crl_ca = add_signer_without_crl(treasury, now, years)
    treasury.write_trust_files(now=now, crl_days=years * 365, directory=out)
    (out / "signers.pem").write_bytes((out / "signers.pem").read_bytes() + no_crl_ca)
    (out / "root.pem").rename(out / "TEST-ONLY-demo-root.pem")
    policies = out / "policies"
    policies.mkdir(parents=True, exist_ok=True)
    seed = []
    index = []
    for case in demo_cases(now, algorithm):
        xml = treasury.sign_policy(case.policy, case.signer, embed_cert=case.embed_cert)
        if case.tamper:
            xml = xml.replace("Андреевна".encode(), "Алексеевна".encode())
        form_a, form_b = encode_form_a(xml), encode_form_b(xml)
        (policies / f"{case.name}.a.txt").write_text(form_a, encoding="utf-8")
        (policies / f"{case.name}.b.txt").write_text(form_b, encoding="ascii")
        render_qr_png(form_b, policies / f"{case.name}.png")
        if case.registry is not None:
            seed.append({**case.registry, **holder_fields(case.policy, DEMO_DOCUMENTS.get(case.name, {}))})
        index.append({"name": case.name, "title": case.title, "enp": case.policy.number})
    seed += registry_only_people(now)
    (out / "registry-seed.json").write_text(json.dumps(seed, ensure_ascii=False, indent=1), encoding="utf-8")
    (policies / "index.json").write_text(json.dumps(index, ensure_ascii=False, indent=1), encoding="utf-8")
    return treasury
