"""`desk-app visits record|list|cancel`, `desk-app export`, `desk-app audit verify`.

Exit status: 0 done (recorded, cancelled, exported, chain intact), 1 refused (duplicate,
rejected verdict, warn without a reason, role not permitted) or audit chain broken, 2 bad
usage (unknown service code, bad storage URL, unreadable config or input, a senior or admin
role without the right administrator PIN, ...).

Acting as `senior` or `admin` (record, cancel) needs the administrator PIN, as in the window:
typed at a prompt when run on a terminal, or read from `--pin-file FILE` for scripts.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from desk_app.cli.common import UsageError, add_settings_options, settings_from_args
from desk_app.cli.lookup_cmd import add_document_options, document_given
from desk_app.cli.terminal import echo, json_text

ROLE_CHOICES = ("registrar", "senior", "admin")


def register(sub: argparse._SubParsersAction) -> None:
    visits = sub.add_parser("visits", help="record, list and cancel visits", description=__doc__)
    vsub = visits.add_subparsers(dest="visits_command", metavar="ACTION", required=True)

    rec = vsub.add_parser(
        "record",
        help="judge INPUT as `verify` does and record the service",
        description="Judge INPUT exactly as `desk-app verify` does and record the visit. Exit 0 recorded, "
        "1 refused (duplicate, verdict_reject, warn_needs_reason), 2 bad usage.",
    )
    rec.add_argument("input", metavar="INPUT", nargs="?",
                     help="file with the QR text, '-' for stdin, image or PDF (or a document option below)")
    add_document_options(rec, required=False)  # in place of INPUT: the policy found by document, as `lookup`
    rec.add_argument("--service", required=True, metavar="CODE", help="service code from the catalogue")
    rec.add_argument("--doctor", required=True, metavar="NAME", help="the doctor giving the service")
    rec.add_argument("--desk", metavar="ID", help="desk id (default: desk.id from the config)")
    rec.add_argument("--reason", metavar="TEXT", help="staff's reason; required when the verdict is warn")
    rec.add_argument("--role", choices=ROLE_CHOICES, default="registrar", help="who records (default registrar)")
    rec.add_argument("--override-reason", metavar="TEXT", help="record a duplicate anyway (senior, admin)")
    _pin_option(rec)
    rec.add_argument("--json", action="store_true", help="print one JSON object")
    _ledger_options(rec, catalogue=True)
    rec.set_defaults(handler=run_record)

    lst = vsub.add_parser("list", help="list a day's visits (cancelled ones marked)")
    lst.add_argument("--date", type=_parse_day, metavar="YYYY-MM-DD", help="clinic calendar day (default today)")
    lst.add_argument("--desk", metavar="ID", help="only this desk's visits")
    lst.add_argument("--json", action="store_true", help="print a JSON array")
    _ledger_options(lst)
    lst.set_defaults(handler=run_list)

    can = vsub.add_parser("cancel", help="cancel a visit (senior or admin); it stays in the ledger")
    can.add_argument("visit_id", type=int, metavar="ID")
    can.add_argument("--reason", required=True, metavar="TEXT", help="why it is cancelled")
    can.add_argument("--role", choices=ROLE_CHOICES, default="registrar", help="who cancels (default registrar)")
    _pin_option(can)
    _ledger_options(can)
    can.set_defaults(handler=run_cancel)

    from desk_app.visits.export import FORMATS  # the register's formats: the one list

    exp = sub.add_parser("export", help="the daily register of visits for billing (CSV or XML)")
    exp.add_argument("--date", type=_parse_day, required=True, metavar="YYYY-MM-DD", help="clinic calendar day")
    exp.add_argument("--format", choices=tuple(FORMATS), default="csv", help=f"one of {', '.join(FORMATS)}")
    exp.add_argument("--output", type=Path, metavar="FILE", help="write here (default: standard output)")
    _ledger_options(exp)
    exp.set_defaults(handler=run_export)

    aud = sub.add_parser("audit", help="check the visits audit log")
    asub = aud.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    ver = asub.add_parser(
        "verify", help="check the hash chain and its anchors; exit 0 intact, 1 broken",
        description="Check the audit chain entry by entry, then against its anchors: the ones in this desk's "
        "log, and those in each --anchor FILE (a daily register export, e.g. the copy billing received, or a "
        "log collected by IT). A chain rewritten after an anchor was written is reported. Exit 0 intact, 1 broken.",
    )  # fmt: skip
    ver.add_argument("--anchor", action="append", type=Path, default=[], metavar="FILE",
                     help="a register export or log file holding anchors (repeatable)")  # fmt: skip
    ver.add_argument("--json", action="store_true", help="print one JSON object")
    _ledger_options(ver)
    ver.set_defaults(handler=run_audit_verify)


def _ledger_options(parser: argparse.ArgumentParser, *, catalogue: bool = False) -> None:
    add_settings_options(parser)
    parser.add_argument("--storage", metavar="URL", help="ledger: a SQLite path, sqlite:///PATH or postgresql://...")
    if catalogue:
        parser.add_argument("--catalogue", type=Path, metavar="CSV", help="services catalogue (code,name)")


def _pin_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pin-file", type=Path, metavar="FILE",
        help="file holding the administrator PIN, for senior and admin (default: ask on the terminal)",
    )  # fmt: skip


def _authorize_role(args: argparse.Namespace, authorize: Callable[[str, str | None], None]) -> None:
    """The administrator PIN for a senior or admin role (desk_app.core.roles, through the desk
    session for `visits record`); UsageError without it."""
    from desk_app.core.roles import PinRefused, needs_pin

    if not needs_pin(args.role):
        return
    try:
        authorize(args.role, _read_pin(args))
    except PinRefused as exc:
        hint = ": type it at the prompt (on a terminal) or give --pin-file FILE" if exc.problem == "missing" else ""
        raise UsageError(exc.message + hint) from None


def _read_pin(args: argparse.Namespace) -> str | None:
    if args.pin_file is not None:
        from desk_app.config import read_token_file

        return read_token_file(args.pin_file, "PIN file")  # the one reader of secret files
    if sys.stdin.isatty() and sys.stderr.isatty():
        import getpass

        try:
            return getpass.getpass("Administrator PIN: ")
        except (EOFError, KeyboardInterrupt):
            return None
    return None


def _parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _open_ledger(args: argparse.Namespace, settings: Any = None, *, with_catalogue: bool = False) -> Any:
    from desk_app.visits import CatalogueError, StorageError, VisitLedger

    if settings is None:
        settings = settings_from_args(args, storage_url=args.storage)
    try:
        return VisitLedger.from_settings(
            settings, catalogue_file=getattr(args, "catalogue", None), with_catalogue=with_catalogue
        )
    except (CatalogueError, StorageError) as exc:
        raise UsageError(str(exc)) from None


# -- visits record ---------------------------------------------------------------------------
def run_record(args: argparse.Namespace) -> int:
    """Judge INPUT and record it through the desk session: the window's rules, the same refusals."""
    from desk_app.cli.verify_cmd import judge_input, verdict_json
    from desk_app.core.inputs import InputError
    from desk_app.core.judge import build_judge
    from desk_app.core.session import DeskSession, RecordRequest, ScanFailure
    from desk_app.verify.trust_store import TrustRootError
    from desk_app.visits import LedgerUsageError, StorageError

    settings = settings_from_args(args, storage_url=args.storage, desk_id=args.desk)
    query = _document_query(args, settings)  # a document that breaks its rule: exit 2, nothing sent
    session = DeskSession(settings)
    _authorize_role(args, session.authorize)
    ledger = _open_ledger(args, settings, with_catalogue=True)
    judge = None
    try:
        if args.service.strip() not in ledger.catalogue:
            raise UsageError(f"unknown service code {args.service!r} (not in {ledger.catalogue.source})")
        try:
            judge = build_judge(settings)
        except TrustRootError as exc:
            raise UsageError(str(exc)) from None
        ticket = session.begin_scan()
        try:
            if query is None:
                judgement = judge_input(judge, args.input)
            else:
                judgement = _judge_search(judge, query, settings, ledger)
        except InputError as exc:
            session.scan_failed(ScanFailure.NO_CODE, ticket)
            raise UsageError(str(exc)) from None
        session.show_judgement(judgement, ticket)
        session.choose_service(args.service.strip())
        session.set_doctor(args.doctor)
        session.set_warn_reason(args.reason or "")
        request = session.prepare_record(role=args.role, override_reason=args.override_reason)
        if not isinstance(request, RecordRequest):
            result = _refusal_result(request)
        else:
            try:
                result = request.record_in(ledger)
            except (LedgerUsageError, StorageError) as exc:
                raise UsageError(str(exc)) from None
            session.record_finished(result, request)
    finally:
        if judge is not None:
            judge.close()  # the offline copy is closed here, not left to the process exit
        ledger.close()
    if args.json:
        shown = args.input if query is None else query.kind  # never the document itself
        echo(json_text({**result.to_json(), "verdict": verdict_json(judgement, shown)}))
    else:
        echo(result.message)
    return 0 if result.recorded else 1


def _document_query(args: argparse.Namespace, settings: Any) -> Any:
    """The checked DocumentQuery when a document option replaces INPUT, else None."""
    from datetime import datetime

    from desk_app.cli.lookup_cmd import query_from_args

    if document_given(args) == (args.input is not None):
        raise UsageError("give INPUT or one of --passport, --birth-certificate, --snils (with --birth-date)")
    if args.input is not None:
        if args.birth_date is not None:
            raise UsageError("--birth-date goes with --passport, --birth-certificate or --snils, not with INPUT")
        return None
    return query_from_args(args, datetime.now(settings.tz).date())


def _judge_search(judge: Any, query: Any, settings: Any, ledger: Any) -> Any:
    """The policy found by document (noted in the audit log); the desk's search limit is exit 1."""
    from desk_app.cli.lookup_cmd import judge_search
    from desk_app.core.search_limit import SearchLimited

    try:
        return judge_search(judge, query, settings, ledger)
    except SearchLimited as exc:
        raise SystemExit(f"desk-app: {exc}") from None


def _refusal_result(refusal: Any) -> Any:
    """A refusal the session made before the ledger: the same result the ledger gives (exit 1);
    an empty --doctor or --service, or a short --override-reason, is a usage error (exit 2)."""
    from desk_app.visits import RecordResult
    from desk_app.visits.rules import REFUSAL_MESSAGE, Refusal

    usage = {
        Refusal.NO_DOCTOR: "--doctor must not be empty",
        Refusal.NO_SERVICE: "--service must not be empty",
        Refusal.REASON_TOO_SHORT: "--override-reason needs at least 3 characters",
    }
    if refusal in usage:
        raise UsageError(usage[refusal])
    return RecordResult(False, None, None, refusal, REFUSAL_MESSAGE[refusal])


# -- visits list -----------------------------------------------------------------------------
def run_list(args: argparse.Namespace) -> int:
    from desk_app.visits import StorageError

    ledger = _open_ledger(args)
    try:
        day = args.date or ledger.today()
        visits = ledger.list_day(day, args.desk)
    except StorageError as exc:
        raise UsageError(str(exc)) from None
    finally:
        ledger.close()
    if args.json:
        echo(json_text([v.to_json(ledger.tz) for v in visits], indent=1))
        return 0
    echo(f"{day.isoformat()}: {len(visits)} visit(s)")
    for v in visits:
        echo(_human_line(v, ledger.tz))
    return 0


def _human_line(v: Any, tz: Any) -> str:
    from desk_app.verify.numbers import mask_enp

    who = " ".join(
        [v.last_name or "-"] + [f"{n[0]}." for n in (v.first_name, v.middle_name) if n]
    )
    marks = []
    if v.override_of is not None:
        marks.append(f"override of {v.override_of}: {v.override_reason}")
    if v.cancelled:
        marks.append(f"CANCELLED by {v.cancelled_by}: {v.cancel_reason}")
    tail = f"  [{'; '.join(marks)}]" if marks else ""
    return (
        f"{v.id:>6}  {v.recorded_at.astimezone(tz):%H:%M}  {mask_enp(v.policy_number)}  {who:<24}  "
        f"{v.service_code:<14} {v.doctor}  desk {v.desk_id}  {v.decision}{tail}"
    )


# -- visits cancel ---------------------------------------------------------------------------
def run_cancel(args: argparse.Namespace) -> int:
    """Cancel through the desk session's rule (the window's refusal and message), then the ledger,
    which asks the same rule again and has the last word."""
    from desk_app.core.session import DeskSession
    from desk_app.visits import LedgerUsageError, StorageError
    from desk_app.visits.rules import Refusal, cancel_refusal_message

    settings = settings_from_args(args, storage_url=args.storage)
    session = DeskSession(settings)
    _authorize_role(args, session.authorize)
    request = session.prepare_cancel(args.visit_id, args.reason, args.role)
    if isinstance(request, Refusal):
        echo(cancel_refusal_message(request, args.role))
        return 1
    ledger = _open_ledger(args, settings)
    try:
        result = request.cancel_in(ledger)
    except (LedgerUsageError, StorageError) as exc:
        raise UsageError(str(exc)) from None
    finally:
        ledger.close()
    echo(result.message)  # "cancelled visit N", or the refusal's "refused: ..." line
    return 0 if result.cancelled else 1


# -- export ----------------------------------------------------------------------------------
def run_export(args: argparse.Namespace) -> int:
    from desk_app.visits import StorageError
    from desk_app.visits.export import render

    ledger = _open_ledger(args)
    try:
        data = render(ledger.billable_day(args.date), args.date, ledger.tz, args.format, ledger.anchor_line())
    except StorageError as exc:
        raise UsageError(str(exc)) from None
    finally:
        ledger.close()
    if args.output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    _write_atomically(args.output, data)
    return 0


def _write_atomically(path: Path, data: bytes) -> None:
    """A half-written register must never be mistaken for a whole one."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


# -- audit verify ----------------------------------------------------------------------------
def run_audit_verify(args: argparse.Namespace) -> int:
    from desk_app.logging_setup import log_dir_for
    from desk_app.visits import StorageError
    from desk_app.visits.anchors import anchors_in_file, anchors_in_logs

    for path in args.anchor:
        if not path.is_file():
            raise UsageError(f"--anchor {path}: no such file")
    settings = settings_from_args(args, storage_url=args.storage)
    ledger = _open_ledger(args, settings)
    try:
        anchors = anchors_in_logs(log_dir_for(settings), ledger.location)
        for path in args.anchor:
            found = anchors_in_file(path)
            if not found:
                raise UsageError(f"--anchor {path}: the file holds no audit anchor")
            anchors += found
        report = ledger.verify_audit(anchors)
    except StorageError as exc:
        raise UsageError(str(exc)) from None
    finally:
        ledger.close()
    if args.json:
        last = report.last_anchor
        echo(json_text({
            "ok": report.ok, "entries": report.entries, "head": report.head_hash,
            "first_bad_entry": report.first_bad_seq, "problem": report.problem, "anchors": report.anchors,
            "last_anchor": {"entry": last[0], "head": last[1], "found_in": last[2]} if last else None,
        }))  # fmt: skip
    else:
        echo(report.message, file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1
