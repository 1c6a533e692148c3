"""Status-bar texts computed from real trust snapshots."""

from __future__ import annotations

from desk_app.ui.probes import trust_item
from desk_app.verify.trust_store import TrustStore


def test_crl_date_carries_the_year(judge_settings, qapp) -> None:
    snapshot = TrustStore(judge_settings.trust_root_path, judge_settings.trust_cache_dir).snapshot
    text, level = trust_item(snapshot)
    year = snapshot.crl_next_update.astimezone().strftime("%Y")
    assert level == "ok" and f".{year} " in text and text.startswith("Сертификаты: 0 мин назад, СОС до ")
