"""The demo data's people (resources/demo/registry-seed.json and `desk-app demo-issue`): each has a
passport, some a SNILS, one child a birth certificate, and each is found by them on the real
reference registry, by `desk-app registry-server --seed` as by the window's demo."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from desk_app.demo.demo_set import DEMO_DOCUMENTS, demo_cases, holder_fields, registry_only_people
from desk_app.demo.registry_server import RegistryServer, load_seed, load_seed_people
from desk_app.paths import resource
from desk_app.verify.documents import make_query
from tests.helpers.registry import TOKEN, make_source

SEED = resource("demo", "registry-seed.json")


def test_each_demo_person_has_a_passport_some_a_snils_one_child_a_certificate() -> None:
    entries = json.loads(SEED.read_text("utf-8"))
    adults = [e for e in entries if "passport" in e["documents"]]
    children = [e for e in entries if "birth_certificate" in e["documents"]]
    assert len(adults) == len(entries) - 1 and len(children) == 1
    assert children[0]["birth_date"] >= "2010-01-01"  # a child
    assert 1 <= sum("snils" in e["documents"] for e in entries) < len(entries)
    passports = [e["documents"]["passport"] for e in adults]
    assert len(set(passports)) == len(passports)  # one person per passport


def test_every_demo_person_is_found_by_each_document(tmp_path: Path) -> None:
    entries = json.loads(SEED.read_text("utf-8"))
    server = RegistryServer(tmp_path / "registry.sqlite", token=TOKEN)
    server.put(load_seed(SEED))
    assert server.put_people(load_seed_people(SEED)) == len(entries)
    server.start()
    source = make_source(server.url, tmp_path / "copy.sqlite")
    try:
        today = datetime.now(UTC).date()
        kinds = {"passport": "passport_rf", "birth_certificate": "birth_certificate", "snils": "snils"}
        for entry in entries:
            for key, text in entry["documents"].items():
                found = source.search(make_query(kinds[key], text, date.fromisoformat(entry["birth_date"]), today))
                assert found.enp == entry["enp"] and found.last_name == entry["holder"]["last_name"], (key, entry)
                assert found.answer.status == entry["status"]
    finally:
        source.close()
        server.stop()


def test_a_new_demo_set_gives_the_same_people() -> None:
    """`desk-app demo-issue` writes the holders and documents the shipped seed has (same names, same
    documents, same birth dates), so a regenerated demo keeps the search working."""
    shipped = {e["enp"]: (e["holder"], e["documents"], e["birth_date"]) for e in json.loads(SEED.read_text("utf-8"))}
    now = datetime.now(UTC)
    made = {}
    for case in demo_cases(now, "gost"):
        if case.registry is not None:
            fields = holder_fields(case.policy, DEMO_DOCUMENTS[case.name])
            made[case.policy.number] = (fields["holder"], fields["documents"], case.registry["birth_date"])
    for entry in registry_only_people(now):
        made[entry["enp"]] = (entry["holder"], entry["documents"], entry["birth_date"])
    assert made == shipped


def test_the_windows_demo_registry_knows_the_people(tmp_path: Path) -> None:
    from desk_app.ui.demo import start_demo

    env = start_demo(tmp_path / "demo")
    try:
        found = env.registry.db.search("passport_rf", "4603765432", "1971-08-02")
        assert found is not None and found["holder"]["last_name"] == "Петров"
        assert env.registry.db.search("birth_certificate", "IV-МЮ654321", "2019-05-02") is not None
    finally:
        env.stop()
