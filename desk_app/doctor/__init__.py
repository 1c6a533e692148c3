"""`desk-app doctor`: checks IT staff run to see what is wrong, without a developer.

`run_checks(settings)` is Qt-free; the settings window runs it on a worker thread and shows
each result's `title_ru` / `message_ru`; the CLI prints those on a Russian system and the English
`title` / `message` elsewhere or with `--lang en` (`wording.system_language`).
"""

from desk_app.doctor.result import CheckResult, exit_status, worst_level
from desk_app.doctor.runner import run_checks

__all__ = ["CheckResult", "exit_status", "run_checks", "worst_level"]
