"""Bind a built library's exp/log/pow/exp2/log2 calls to their pre-2.29 glibc versions.

glibc 2.29 added new versions of these five math functions (`log@@GLIBC_2.29`) and kept the
old ones (`log@GLIBC_2.2.5`), which every later glibc still exports. A library linked on
glibc >= 2.29 (bullseye's libsqlite3 calls log) therefore needs GLIBC_2.29 and cannot load
on glibc 2.28 (Astra Linux SE 1.7, RED OS 7.3). This does after linking what
packaging/linux/glibc_compat.h does when compiling: in the file's version-needs table
(.gnu.version_r), a `GLIBC_2.29` entry of libm.so.6 whose symbols are ONLY those five is
renamed `GLIBC_2.2.5`, so the dynamic linker binds the old versions. Nothing else changes
(no size change, no other symbol). An entry used by any other symbol, or a file whose string
table lacks the name `GLIBC_2.2.5` (it needs nothing from the base version), is left alone, and
packaging/linux/glibc_gate.py still fails the build on it.

    python3 packaging/linux/glibc_rebind.py FOLDER   # every ELF file under FOLDER
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

SHT_DYNSYM = 11
SHT_GNU_VERNEED = 0x6FFFFFFE
SHT_GNU_VERSYM = 0x6FFFFFFF
REBINDABLE = {"exp", "log", "pow", "exp2", "log2"}  # GLIBC_2.29 versions, old GLIBC_2.2.5 kept
NEW, OLD = b"GLIBC_2.29", b"GLIBC_2.2.5"
MATH_LIBRARY = b"libm.so.6"


def elf_hash(name: bytes) -> int:
    h = 0
    for byte in name:
        h = (h << 4) + byte
        g = h & 0xF0000000
        if g:
            h ^= g >> 24
        h &= ~g & 0xFFFFFFFF
    return h


def c_string(data: bytes | bytearray, offset: int) -> bytes:
    return bytes(data[offset:data.index(b"\0", offset)])


def sections(data: bytearray) -> list[tuple[int, int, int, int, int]]:
    """(type, offset, size, link, info) of every section of an ELF64 little-endian file."""
    shoff = struct.unpack_from("<Q", data, 0x28)[0]
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    found = []
    for index in range(shnum):
        base = shoff + index * shentsize
        sh_type = struct.unpack_from("<I", data, base + 4)[0]
        sh_offset, sh_size = struct.unpack_from("<QQ", data, base + 24)
        sh_link, sh_info = struct.unpack_from("<II", data, base + 40)
        found.append((sh_type, sh_offset, sh_size, sh_link, sh_info))
    return found


def rebind(path: Path) -> list[str]:
    """Rewrite path in place when it can be rebound; returns the symbols rebound (empty: untouched)."""
    data = bytearray(path.read_bytes())
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:  # ELF64, little-endian only
        return []
    secs = sections(data)
    by_type = {s[0]: s for s in secs}
    if not {SHT_GNU_VERNEED, SHT_GNU_VERSYM, SHT_DYNSYM} <= by_type.keys():
        return []
    _t, vn_offset, _size, vn_link, vn_count = by_type[SHT_GNU_VERNEED]
    dynstr = data[secs[vn_link][1]:secs[vn_link][1] + secs[vn_link][2]]
    _t, sym_offset, sym_size, _l, _i = by_type[SHT_DYNSYM]
    versym_offset = by_type[SHT_GNU_VERSYM][1]
    symbols_by_index: dict[int, set[str]] = {}
    for number in range(sym_size // 24):
        st_name = struct.unpack_from("<I", data, sym_offset + number * 24)[0]
        index = struct.unpack_from("<H", data, versym_offset + number * 2)[0] & 0x7FFF
        symbols_by_index.setdefault(index, set()).add(c_string(dynstr, st_name).decode())
    old_name = _string_offset(dynstr, OLD)
    rebound: list[str] = []
    entry = vn_offset
    for _ in range(vn_count):
        _version, aux_count, vn_file, vn_aux, vn_next = struct.unpack_from("<HHIII", data, entry)
        aux = entry + vn_aux
        for _ in range(aux_count):
            _hash, _flags, other, name, aux_next = struct.unpack_from("<IHHII", data, aux)
            users = symbols_by_index.get(other, set())
            if (c_string(dynstr, vn_file) == MATH_LIBRARY and c_string(dynstr, name) == NEW and users
                    and users <= REBINDABLE and old_name is not None):
                struct.pack_into("<I", data, aux, elf_hash(OLD))
                struct.pack_into("<I", data, aux + 8, old_name)
                rebound += sorted(users)
            aux += aux_next
        entry += vn_next
    if rebound:
        path.write_bytes(data)
    return rebound


def _string_offset(dynstr: bytearray, text: bytes) -> int | None:
    """Offset of a NUL-terminated `text` in the string table (possibly the tail of a longer one)."""
    found = dynstr.find(text + b"\0")
    return found if found >= 0 else None


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not Path(args[0]).is_dir():
        print("usage: glibc_rebind.py FOLDER", file=sys.stderr)
        return 2
    for path in sorted(Path(args[0]).rglob("*")):
        if path.is_file() and not path.is_symlink():
            symbols = rebind(path)
            if symbols:
                print(f"glibc_rebind: {path.relative_to(args[0])}: {', '.join(symbols)} -> {OLD.decode()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
