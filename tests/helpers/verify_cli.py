"""Run the real `desk-app verify --json` in a subprocess (the contract as a user meets it)."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

from lxml import etree

from desk_app.config import Settings
from desk_app.verify.profile import DS


def verify_json(settings: Settings, files: list[Path], *, timeout: float = 180) -> list[dict]:
    """One verdict per file, in order; fails the test on a non-zero exit or any traceback."""
    argv = [sys.executable, "-m", "desk_app", "verify", "--json", "--trust-root", str(settings.trust_root)]
    argv += ["--data-dir", str(settings.data_dir), *map(str, files)]
    result = subprocess.run(argv, capture_output=True, text=True, encoding="utf-8", timeout=timeout, env=os.environ)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    verdicts = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(verdicts) == len(files), result.stdout
    return verdicts


def write_cases(directory: Path, cases: dict[str, bytes]) -> list[Path]:
    """Each case's XML in its own file, named after the case."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, xml in cases.items():
        path = directory / f"{name}.xml"
        path.write_bytes(xml)
        paths.append(path)
    return paths


def with_embedded_certificate(xml: bytes, der: bytes) -> bytes:
    """The same signed document with its X509Certificate replaced (KeyInfo is not signed)."""
    root = etree.fromstring(xml)
    cert = root.find(f"{{{DS}}}Signature/{{{DS}}}KeyInfo/{{{DS}}}X509Data/{{{DS}}}X509Certificate")
    assert cert is not None
    cert.text = base64.b64encode(der).decode()
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
