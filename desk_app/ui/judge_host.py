"""The Judge, owned by the judge lane: built there, used there, closed there.

Every method runs on the judge lane only and gets what it needs as arguments (the settings,
the payload, the file), captured on the GUI thread when the job was queued.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from desk_app.config import Settings
from desk_app.core.search_limit import SearchLimited

if TYPE_CHECKING:
    from desk_app.core.judge import Judge, Judgement
    from desk_app.core.session import ScanFailure
    from desk_app.verify.documents import DocumentQuery

log = logging.getLogger(__name__)


def default_judge_factory(settings: Settings) -> Judge:
    from desk_app.core.judge import build_judge  # heavy (lxml, signxml, cryptography): worker only

    # No network on the way to a ready window: the trust list is fetched by UnattendedUpdates.
    return build_judge(settings, refresh=False)


class JudgeHost:
    def __init__(self, factory: Callable[[Settings], Judge] | None = None) -> None:
        self._factory = factory or default_judge_factory
        self._judge: Judge | None = None

    def build(self, settings: Settings) -> Judge:
        """The judge for `settings` (built once; `close` drops it)."""
        if self._judge is None:
            self._judge = self._factory(settings)
        return self._judge

    def judge_qr(self, settings: Settings, payload: str | bytes) -> Judgement:
        return self.build(settings).judge_qr(payload)

    def judge_file(self, settings: Settings, path: Path) -> Judgement | ScanFailure:
        """An image, PDF or text file: its Judgement, or the ScanFailure when it yields no code
        (searched past its time budget, or no readable code). The multi-code rule (the first
        code that is a policy) is the desk session's `judge_first_policy`."""
        from desk_app.core.inputs import InputError, payloads_from_input
        from desk_app.core.session import ScanFailure, judge_first_policy

        try:
            payloads = payloads_from_input(str(path))
        except InputError as exc:
            log.info("file scan refused: %s", exc)
            return ScanFailure.FILE_TOO_SLOW if exc.reason == "time_budget" else ScanFailure.NO_CODE
        return judge_first_policy(self.build(settings), payloads)

    def judge_manual(self, settings: Settings, enp: str, birth_date: date) -> Judgement:
        return self.build(settings).judge_manual(enp, birth_date)

    def judge_search(self, settings: Settings, query: DocumentQuery) -> Judgement | SearchLimited:
        """A search by document: its Judgement, or the SearchLimited refusal (nothing was sent)."""
        try:
            return self.build(settings).judge_search(query)
        except SearchLimited as refused:
            log.info("search by document refused by the desk's own limit: %s", refused)
            return refused

    def close(self) -> None:
        """Release the registry client's connections and threads."""
        judge, self._judge = self._judge, None
        if judge is not None:
            judge.close()
