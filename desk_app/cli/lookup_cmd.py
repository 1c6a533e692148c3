"""`desk-app lookup`: find a policy in the registry by identity document or SNILS and judge it.

    desk-app lookup --passport "4510 123456" --birth-date 1985-03-14 [--json]
    desk-app lookup --birth-certificate "IV-МЮ 654321" --birth-date 2019-05-02
    desk-app lookup --snils "112-233-445 95" --birth-date 1985-03-14

Prints one verdict with the keys of `verify --json` (`input` is the document type, never the
document). Exit 0 when judged (whatever the verdict), 1 when the desk's own search limit refused
it, 2 for bad usage or config, or a document or birth date that breaks its rule: that is refused
before anything is sent. Each search is noted in the ledger's audit log (desk, time, document
type, found or not); the document itself is neither logged nor stored. `visits record` takes
the same options in place of INPUT.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from typing import Any

from desk_app.cli.common import UsageError, add_settings_options, settings_from_args
from desk_app.cli.terminal import echo, json_text

DOCUMENT_OPTIONS = (("passport", "passport_rf"), ("birth_certificate", "birth_certificate"), ("snils", "snils"))


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "lookup",
        help="find a policy in the registry by passport, birth certificate or SNILS",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_document_options(p, required=True)
    p.add_argument("--json", action="store_true", help="one JSON object with the keys of `verify --json`")
    p.add_argument("--storage", metavar="URL", help="ledger whose audit log notes the search (default: the config's)")
    add_settings_options(p)
    p.set_defaults(handler=run)


def add_document_options(parser: argparse.ArgumentParser, *, required: bool) -> None:
    """--passport | --birth-certificate | --snils, and --birth-date (lookup; visits record)."""
    group = parser.add_mutually_exclusive_group(required=required)
    group.add_argument("--passport", metavar='"SSSS NNNNNN"', help="passport of the Russian Federation")
    group.add_argument("--birth-certificate", metavar='"SERIES NNNNNN"', help='birth certificate, e.g. "IV-МЮ 654321"')
    group.add_argument("--snils", metavar='"NNN-NNN-NNN NN"', help="SNILS (with a valid check number)")
    parser.add_argument("--birth-date", metavar="YYYY-MM-DD", help="the patient's birth date (with a document)")


def document_given(args: argparse.Namespace) -> bool:
    return any(getattr(args, option, None) is not None for option, _kind in DOCUMENT_OPTIONS)


def query_from_args(args: argparse.Namespace, today: date) -> Any:
    """The checked DocumentQuery; UsageError (exit 2) naming the broken rule, before anything is sent."""
    from desk_app.verify.documents import DocumentError, make_query, parse_birth_date

    option, kind = next((o, k) for o, k in DOCUMENT_OPTIONS if getattr(args, o, None) is not None)
    if not args.birth_date:
        raise UsageError(f"--{option.replace('_', '-')} needs --birth-date YYYY-MM-DD")
    try:
        born = parse_birth_date(args.birth_date, today)
        return make_query(kind, getattr(args, option), born, today)
    except DocumentError as exc:
        raise UsageError(f"--{_option_of(exc.problem, option)}: {exc}") from None


def _option_of(problem: str, option: str) -> str:
    return "birth-date" if problem.startswith("birth_date") else option.replace("_", "-")


def judge_search(judge: Any, query: Any, settings: Any, ledger: Any) -> Any:
    """Judge the search and note it in the audit log (desk, time, document type, outcome).
    Raises UsageError when the audit entry cannot be written, SearchLimited past the desk's limit."""
    from desk_app.visits import LedgerUsageError, StorageError

    judgement = judge.judge_search(query)
    if judgement.search is None:  # the desk judges nothing (no trust root): nothing was searched
        return judgement
    try:
        ledger.note_search(desk_id=settings.desk_id, document=query.kind, outcome=judgement.search.outcome)
    except (LedgerUsageError, StorageError) as exc:
        raise UsageError(f"the search could not be noted in the audit log: {exc}") from None
    return judgement


def open_audit_ledger(settings: Any) -> Any:
    from desk_app.visits import CatalogueError, StorageError, VisitLedger

    try:
        return VisitLedger.from_settings(settings, with_catalogue=False)
    except (CatalogueError, StorageError) as exc:
        raise UsageError(f"a search by document is noted in the ledger's audit log, which cannot be opened: {exc}"
                         ) from None  # fmt: skip


def search_json(judgement: Any, query: Any) -> dict[str, Any]:
    return {**judgement.verdict.to_json(), "input": query.kind}


def format_search(judgement: Any, query: Any) -> str:
    from desk_app.cli.verify_cmd import format_human

    search = judgement.search
    if search is None:  # nothing was searched (no trust root): the verdict says why
        return format_human(judgement, query.kind)
    lines = [format_human(judgement, search.document), f"  search:    {search.outcome} by {search.document}"]
    if search.outcome == "no_answer":
        if search.retry_after:
            lines.append(f"  note:      the registry asks to wait {search.retry_after:.0f} s before searching again")
        lines.append("  note:      a search by document needs the registry; without it, judge the typed policy "
                     "number (the window's F2) or scan the QR code")  # fmt: skip
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from desk_app.core.judge import build_judge
    from desk_app.core.search_limit import SearchLimited
    from desk_app.verify.trust_store import TrustRootError

    settings = settings_from_args(args, storage_url=args.storage)
    query = query_from_args(args, datetime.now(settings.tz).date())  # refused here: nothing sent, nothing opened
    ledger = open_audit_ledger(settings)
    try:
        try:
            judge = build_judge(settings, refresh=False)  # a search needs no trust list
        except TrustRootError as exc:
            raise UsageError(str(exc)) from None
        try:
            judgement = judge_search(judge, query, settings, ledger)
        except SearchLimited as exc:
            echo(f"desk-app: {exc}", file=sys.stderr)
            return 1
        finally:
            judge.close()
    finally:
        ledger.close()
    if args.json:
        echo(json_text(search_json(judgement, query)), flush=True)
    else:
        echo(format_search(judgement, query), flush=True)
    return 0
