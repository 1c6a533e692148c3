"""`desk-app verify`: judge QR texts, images or PDFs; one verdict per input."""

from __future__ import annotations

import argparse
import os
import sys

from desk_app.cli.common import add_demo_option, add_settings_options, demo_override, settings_from_args
from desk_app.cli.terminal import echo, json_text, terminal_text


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "verify",
        help="judge policy QR codes (text files, '-' for stdin, images, PDFs)",
        description="Judge each INPUT and print its verdict. Exit 0 when every input was judged "
        "(whatever the verdicts), 1 when an input could not be read, 2 for bad usage or config.",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="file with the QR text, '-' for stdin, image or PDF")
    p.add_argument("--json", action="store_true", help="one JSON object per input, one per line")
    add_demo_option(p)
    add_settings_options(p)
    p.set_defaults(handler=run)


def judge_input(judge, name: str):
    """The Judgement for one INPUT: the desk session's multi-code rule (`judge_first_policy`)."""
    from desk_app.core.inputs import payloads_from_input
    from desk_app.core.session import judge_first_policy

    # never empty: an input without a code is an InputError
    return judge_first_policy(judge, payloads_from_input(name))


def shown_name(name: str) -> str:
    """A file name as printable UTF-8: bytes that were not UTF-8 (Linux hands them over as lone
    surrogates, surrogateescape) shown as `\\xff`, so printing it never fails."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name


def verdict_json(judgement, name: str) -> dict:
    return {**judgement.verdict.to_json(), "input": shown_name(name)}


def format_human(judgement, name: str) -> str:
    v = judgement.verdict
    p = v.policy
    who = " ".join(x for x in (p.last_name, p.first_name, p.middle_name) if x) or "-"
    lines = [
        f"{shown_name(name)}: {v.decision.upper()}",
        f"  policy:    {p.number or '-'}  {who}  born {p.birth_date or '-'}",
        f"  signature: {v.signature}" + (f" ({judgement.detail})" if judgement.detail else ""),
        f"  status:    {v.status} (source {v.status_source}, as of {v.status_as_of or '-'})",
        f"  reasons:   {', '.join(v.reasons) or '-'}",
    ]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from desk_app.cli.common import UsageError
    from desk_app.core.judge import build_judge
    from desk_app.verify.trust_store import TrustRootError

    settings = settings_from_args(args, **demo_override(args))
    if args.inputs.count("-") > 1:
        raise UsageError("standard input ('-') can be named only once")
    try:
        judge = build_judge(settings)
    except TrustRootError as exc:
        raise UsageError(str(exc)) from None
    try:
        return _judge_each(judge, args)
    finally:
        judge.close()  # the offline copy is closed here, not left to the process exit


def _judge_each(judge, args: argparse.Namespace) -> int:
    from desk_app.core.inputs import InputError

    status = 0
    for name in args.inputs:
        try:
            judgement = judge_input(judge, name)
        except InputError as exc:
            echo(f"desk-app: error: {terminal_text(exc)}", file=sys.stderr)
            status = 1
            continue
        except (KeyboardInterrupt, BrokenPipeError):
            raise
        except Exception as exc:  # one input never stops the batch (the judge itself never raises for content)
            why = type(exc).__name__
            shown = terminal_text(shown_name(name))
            echo(
                f"desk-app: error: {shown}: could not be judged ({why}); the other inputs are",
                file=sys.stderr,
            )
            status = 1
            continue
        if args.json:
            echo(json_text(verdict_json(judgement, name)), flush=True)
        else:
            echo(format_human(judgement, name), flush=True)
    return status
