"""Coverage-guided fuzzing of Judge.judge_qr with atheris (libFuzzer).

    python -m tests.fuzz.fuzz_judge WORK_CORPUS_DIR -max_total_time=60 -artifact_prefix=OUT/

Any libFuzzer option may follow. The working corpus directory is created and seeded with the
genuine demo policies (forms A and B), the same policies re-signed by the fuzz Treasury, and
the regression corpus (tests/data/fuzz_corpus). A property violation or an exception is a crash:
libFuzzer writes the input to `<artifact_prefix>crash-<sha1>`; copy it into
tests/data/fuzz_corpus/ so tests/verify/test_fuzz_judge.py replays it for ever.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import random
import shutil
import sys
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["desk_app"]):
    from desk_app.verify.payload import encode_form_a, encode_form_b
    from tests.fuzz import harness, mutators

_resign = None


def _seed(work: Path) -> None:
    from lxml import etree

    work.mkdir(parents=True, exist_ok=True)
    treasury = harness.fuzz_treasury()
    for i, data in enumerate(harness.seed_payloads()):
        (work / f"seed-demo-{i:03}").write_bytes(data)
        try:
            root = etree.fromstring(harness.decode_payload(data))
            root.remove(root[-1])
            resigned = mutators.sign_element(root, treasury.signer, embed_cert=i % 2 == 0)
        except Exception:  # noqa: S112 - a seed that cannot be re-signed is only left out
            continue
        form = encode_form_b if i % 2 else encode_form_a
        (work / f"seed-fuzz-{i:03}").write_bytes(form(resigned).encode("utf-8"))
    for path in harness.corpus_files():
        shutil.copy(path, work / f"regression-{path.name}")


_artifacts = Path(".")
_saved_delegated: dict[str, int] = {}


def test_one_input(data: bytes) -> None:
    before = len(harness.delegated_defects)
    harness.check_input(data)
    for where in harness.delegated_defects[before:]:
        _saved_delegated[where] = _saved_delegated.get(where, 0) + 1
        with (_artifacts / "delegated.log").open("a") as log:  # libFuzzer's normal exit skips atexit
            log.write(where + "\n")
        if _saved_delegated[where] <= 3:  # a few examples of each, for the owner of that file
            name = "delegated-" + where.replace(":", "-") + "-" + hashlib.sha256(data).hexdigest()[:12]
            (_artifacts / name).write_bytes(data)


def _report() -> None:
    for where, count in sorted(_saved_delegated.items()):
        print(f"delegated defect at {where}: {count} input(s)", file=sys.stderr)


def custom_mutator(data: bytes, max_size: int, seed: int) -> bytes:
    rng = random.Random(seed)
    if rng.random() < 0.45:
        return atheris.Mutate(data, max_size)
    out = mutators.mutate_payload(data, rng, _resign)
    if out == data:
        return atheris.Mutate(data, max_size)
    return out[:max_size]


def main(argv: list[str]) -> None:
    global _resign
    logging.disable(logging.CRITICAL)  # the judge logs every verdict; the fuzzer needs none of it
    corpus = [a for a in argv[1:] if not a.startswith("-")]
    if corpus:
        _seed(Path(corpus[0]))
    global _artifacts
    prefix = next((a.split("=", 1)[1] for a in argv if a.startswith("-artifact_prefix=")), "./")
    _artifacts = Path(prefix) if prefix.endswith("/") else Path(prefix).parent
    atexit.register(_report)
    harness.judges()  # build both judges before the clock starts
    _resign = mutators.resigner(harness.fuzz_treasury().signer)
    if not any(a.startswith("-max_len=") for a in argv):
        argv = [*argv, "-max_len=30000"]
    atheris.Setup(argv, test_one_input, custom_mutator=custom_mutator)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
