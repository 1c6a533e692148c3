"""The services catalogue: codes and names from the nomenclature of medical services (order 804n).

The app ships `resources/services.csv`. IT staff replace it for a clinic by putting their own
`services.csv` into the data directory (it then wins over the bundled one) or by naming a file
with `--catalogue`. The file is UTF-8 (a BOM is allowed, as Excel writes one), comma-separated,
with the header `code,name`. Every problem is reported with the file name and line number.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from desk_app import paths

CATALOGUE_FILE_NAME = "services.csv"
HEADER = ("code", "name")
MAX_NAME_LENGTH = 300
MAX_FILE_BYTES = 4 * 1024 * 1024
# Section letter, class, type (and an optional sub-type): A09.05.023, B01.047.001, A16.20.005.001.
CODE_PATTERN = re.compile(r"[AB]\d{2}\.\d{2,3}\.\d{3}(?:\.\d{3})?")


class CatalogueError(ValueError):
    """A catalogue file that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class Service:
    code: str
    name: str


@dataclass(frozen=True)
class Catalogue:
    services: tuple[Service, ...]
    source: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {s.code: s for s in self.services})

    def get(self, code: str) -> Service | None:
        return self._by_code.get(code.strip())  # type: ignore[attr-defined]

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and self.get(code) is not None

    def __iter__(self) -> Iterator[Service]:
        return iter(self.services)

    def __len__(self) -> int:
        return len(self.services)


def bundled_catalogue_path() -> Path:
    return paths.resource(CATALOGUE_FILE_NAME)


def catalogue_path(data_dir: Path | None = None, explicit: Path | None = None) -> Path:
    """Which file to load: an explicit one, else data_dir/services.csv if present, else the bundled one."""
    if explicit is not None:
        return explicit
    if data_dir is not None:
        local = data_dir / CATALOGUE_FILE_NAME
        if local.is_file():
            return local
    return bundled_catalogue_path()


def load_catalogue(path: Path) -> Catalogue:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CatalogueError(f"services catalogue {path} is too large ({size} bytes)")
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogueError(f"cannot read services catalogue {path}: {exc.strerror or exc}") from None
    return parse_catalogue(raw, str(path))


def parse_catalogue(raw: bytes, origin: str) -> Catalogue:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogueError(f"{origin}: not UTF-8 text (byte {exc.start})") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise CatalogueError(f"{origin} line {reader.line_num}: {exc}") from None
    if not rows or tuple(cell.strip().lower() for cell in rows[0]) != HEADER:
        raise CatalogueError(f"{origin} line 1: the header must be exactly 'code,name'")
    services: list[Service] = []
    seen: dict[str, int] = {}
    for line_no, row in enumerate(rows[1:], start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != 2:
            raise CatalogueError(f"{origin} line {line_no}: expected 2 columns (code,name), got {len(row)}")
        code, name = row[0].strip(), " ".join(row[1].split())
        if not CODE_PATTERN.fullmatch(code):
            raise CatalogueError(
                f"{origin} line {line_no}: {code!r} is not a nomenclature code (like B01.047.001)"
            )
        if not name:
            raise CatalogueError(f"{origin} line {line_no}: service {code} has no name")
        if len(name) > MAX_NAME_LENGTH:
            raise CatalogueError(f"{origin} line {line_no}: the name of {code} is over {MAX_NAME_LENGTH} chars")
        if code in seen:
            raise CatalogueError(f"{origin} line {line_no}: {code} is already listed on line {seen[code]}")
        seen[code] = line_no
        services.append(Service(code, name))
    if not services:
        raise CatalogueError(f"{origin}: the catalogue lists no services")
    return Catalogue(tuple(services), origin)
