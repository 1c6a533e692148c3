"""Build check: every DLL an executable, DLL or .pyd of the Windows bundle imports is either in the
bundle itself or shipped by a clean Windows 10 (x64, 1809 or later, no Visual C++ runtimes).

Reads the PE import tables (normal and delay-load) with pefile. Exit 1, naming the file and the
missing DLL, when anything else is needed: e.g. pyzbar's libzbar-64.dll needs MSVCR120.dll
(the VC++ 2013 runtime), which no clean Windows has.

Usage: python check_dlls.py BUNDLE_DIR [--expect-missing FILE DLL]...
  --expect-missing: also scan FILE and require DLL to be reported (proves the check can fail).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pefile

# What a clean Windows 10 x64 has in System32 and that Windows programs commonly import. NOT here
# on purpose: the Visual C++ runtimes (msvcp140, vcruntime140*, concrt140, msvcr1x0, msvcp1x0):
# an app must bring its own.
WINDOWS10 = frozenset(
    name.lower()
    for name in """
advapi32.dll authz.dll avicap32.dll avrt.dll bcrypt.dll bcryptprimitives.dll cfgmgr32.dll comctl32.dll comdlg32.dll
crypt32.dll cryptbase.dll cryptnet.dll cryptui.dll credui.dll d2d1.dll d3d9.dll d3d11.dll d3d12.dll
d3dcompiler_47.dll dbghelp.dll dcomp.dll dhcpcsvc.dll dnsapi.dll dwmapi.dll dwrite.dll dxgi.dll dxva2.dll
evr.dll gdi32.dll gdiplus.dll glu32.dll hid.dll icu.dll icuin.dll icuuc.dll imagehlp.dll imm32.dll iphlpapi.dll
kernel32.dll kernelbase.dll ksuser.dll mf.dll mfplat.dll mfreadwrite.dll mpr.dll msacm32.dll msi.dll
msimg32.dll msvcp_win.dll msvcrt.dll mswsock.dll ncrypt.dll netapi32.dll normaliz.dll ntdll.dll
ole32.dll oleacc.dll oleaut32.dll opengl32.dll powrprof.dll propsys.dll psapi.dll rpcrt4.dll
secur32.dll setupapi.dll shcore.dll shell32.dll shlwapi.dll sspicli.dll ucrtbase.dll
uiautomationcore.dll urlmon.dll user32.dll userenv.dll usp10.dll uxtheme.dll version.dll winhttp.dll
wininet.dll winmm.dll winspool.drv wintrust.dll wldap32.dll wlanapi.dll ws2_32.dll wsock32.dll
wtsapi32.dll dwmapi.dll ninput.dll wevtapi.dll shfolder.dll mfuuid.dll mscms.dll winusb.dll
""".split()
)
# Delay-loaded (only when a function of it is first called) and allowed to be absent, with why:
DELAY_ALLOWED = {
    # numpy's private msvcp140 delay-loads the Concurrency Runtime for the parallel algorithms'
    # scheduler; nothing in the bundle ships or needs concrt140 (numpy runs on clean Windows).
    "concrt140.dll",
}
API_SETS = ("api-ms-win-", "ext-ms-win-")  # resolved by the loader to system DLLs (UCRT included)
PE_SUFFIXES = (".dll", ".pyd", ".exe")


def imports_of(path: Path) -> set[str]:
    """The DLLs `path` imports: all normal imports, and the delay-loaded ones not in DELAY_ALLOWED."""
    pe = pefile.PE(str(path), fast_load=True)
    try:
        pe.parse_data_directories(
            directories=[
                pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_IMPORT"],
                pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT"],
            ]
        )
        normal = {e.dll.decode("ascii", "replace").lower() for e in getattr(pe, "DIRECTORY_ENTRY_IMPORT", [])}
        delayed = {e.dll.decode("ascii", "replace").lower() for e in getattr(pe, "DIRECTORY_ENTRY_DELAY_IMPORT", [])}
        return normal | (delayed - DELAY_ALLOWED)
    finally:
        pe.close()


def missing_imports(files: list[Path], bundled: set[str]) -> dict[Path, set[str]]:
    """For each file, the imported DLLs found neither in `bundled` nor on a clean Windows 10."""
    found: dict[Path, set[str]] = {}
    for path in files:
        missing = {
            dll
            for dll in imports_of(path)
            if dll not in bundled and dll not in WINDOWS10 and not dll.startswith(API_SETS)
        }
        if missing:
            found[path] = missing
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--expect-missing", nargs=2, action="append", default=[], metavar=("FILE", "DLL"))
    args = parser.parse_args()
    files = sorted(p for p in args.bundle.rglob("*") if p.is_file() and p.suffix.lower() in PE_SUFFIXES)
    if not files:
        print(f"check_dlls: no PE files under {args.bundle}", file=sys.stderr)
        return 1
    bundled = {p.name.lower() for p in files}
    problems = missing_imports(files, bundled)
    for path, missing in sorted(problems.items()):
        print(f"check_dlls: {path.relative_to(args.bundle)} needs {', '.join(sorted(missing))}: "
              "not in the bundle and not on a clean Windows 10", file=sys.stderr)
    ok = not problems
    for file, dll in args.expect_missing:
        reported = missing_imports([Path(file)], set()).get(Path(file), set())
        if dll.lower() not in reported:
            print(f"check_dlls: the check missed {dll} for {file} (reported: {sorted(reported)})", file=sys.stderr)
            ok = False
        else:
            print(f"check_dlls: control: {Path(file).name} is reported for {dll}, as it must be")
    print(f"check_dlls: {len(files)} PE files scanned, {len(problems)} with a DLL a clean Windows 10 lacks")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
