"""`desk-app doctor [--json] [--lang ru|en]`: check the installation and say, in plain words, what
needs attention, in the system's language (Russian on a Russian system; `--lang en` for support).

Exit status: 0 all ok, 1 warnings only (something deserves attention), 2 any error
(including a config file that cannot be read).
"""

from __future__ import annotations

import argparse

from desk_app.cli.common import add_demo_option, add_settings_options, demo_override, settings_from_args
from desk_app.cli.terminal import echo, json_text, terminal_text
from desk_app.config import ConfigError
from desk_app.doctor.wording import LANGUAGES, SUMMARY, Language, system_language

_MARKS = {"ok": "ok  ", "warning": "WARN", "error": "FAIL"}


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "doctor",
        help="check the configuration, trust list, registry, database, scanners and disk",
        description="Check the installation. Exit status: 0 all ok, 1 warnings, 2 errors.",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout (both languages)")
    parser.add_argument(
        "--lang", choices=LANGUAGES,
        help="language of the report (default: the system's: Russian on a Russian system, else English)",
    )  # fmt: skip
    add_demo_option(parser)
    add_settings_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from desk_app.doctor import exit_status, run_checks
    from desk_app.doctor.config_checks import config_error_result
    from desk_app.logging_setup import setup_logging

    try:
        settings = settings_from_args(args, **demo_override(args))
    except ConfigError as exc:
        results = [config_error_result(exc)]
    else:
        setup_logging(settings, console=False)
        results = run_checks(settings)
    status = exit_status(results)
    if args.json:
        echo(json_text({"status": status, "checks": [r.to_json() for r in results]}, indent=2))
        return status
    lang: Language = args.lang or system_language()
    for result in results:
        title, message = (result.title_ru, result.message_ru) if lang == "ru" else (result.title, result.message)
        echo(f"[{_MARKS[result.level]}] {title}: {terminal_text(message)}")
    echo(f"doctor: {SUMMARY[lang][status]}")
    return status
