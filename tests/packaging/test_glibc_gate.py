"""The Linux packages' glibc gate and system-library check, on real ELF files built here with gcc.

glibc 2.29 gave exp/log/pow new symbol versions: a library calling exp() built on this (newer)
glibc needs GLIBC_2.29 and so cannot load on Astra Linux SE 1.7 or RED OS 7.3 (glibc 2.28).
packaging/linux/glibc_compat.h (force-included in the CPython build) binds the old versions.
"""

from __future__ import annotations

import ctypes
import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF and glibc: Linux only")

# A shared library, like the ones a package ships (an executable built on glibc 2.34+ also needs
# __libc_start_main@GLIBC_2.34, which says nothing about the math calls).
# getenv@GLIBC_2.2.5: like every real library, it also needs the base version, whose name
# glibc_rebind.py reuses.
LIBRARY = r"""
#include <math.h>
#include <stdlib.h>
double calc(double x) { return exp(x) + log(x) + pow(x, 2.5) + (getenv("DESK_NO_SUCH_VARIABLE") != NULL); }
"""


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, LINUX / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def compile_library(folder: Path, *extra: str) -> Path:
    gcc = shutil.which("gcc")
    assert gcc, "gcc is needed (scripts/setup.sh installs it)"
    source = folder / "calc.c"
    source.write_text(LIBRARY, encoding="utf-8")
    out = folder / "libcalc.so"
    subprocess.run([gcc, "-O2", "-fno-builtin", "-shared", "-fPIC", *extra, str(source), "-o", str(out), "-lm"],
                   check=True)
    return out


def run_gate(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(LINUX / "glibc_gate.py"), str(folder), *args],
                          capture_output=True, text=True, check=False)


def test_a_library_calling_exp_on_a_new_glibc_fails_the_2_28_gate(tmp_path: Path) -> None:
    compile_library(tmp_path)
    result = run_gate(tmp_path, "--max", "2.28", "--goal", "2.28", "--json", str(tmp_path / "r.json"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "glibc gate: FAIL" in result.stdout
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["highest_needed_by"] == ["libcalc.so"]
    assert "exp@GLIBC_2.29" in report["files_above_goal"]["libcalc.so"]
    assert "pow@GLIBC_2.29" in report["files_above_goal"]["libcalc.so"]


def test_the_same_library_passes_a_gate_at_or_above_what_it_needs(tmp_path: Path) -> None:
    compile_library(tmp_path)
    needed = load("glibc_gate").scan(tmp_path)[tmp_path / "libcalc.so"]
    result = run_gate(tmp_path, "--max", needed.removeprefix("GLIBC_"), "--goal", "2.28")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "glibc gate: PASS" in result.stdout
    assert "libcalc.so: exp@GLIBC_2.29" in result.stdout  # still listed above the goal, with its symbols


def test_glibc_compat_header_brings_the_library_down_to_2_28_and_it_still_computes(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    (tmp_path / "compat").mkdir()
    plain = compile_library(tmp_path / "plain")
    compat = compile_library(tmp_path / "compat", "-include", str(LINUX / "glibc_compat.h"))
    result = run_gate(tmp_path / "compat", "--max", "2.28", "--goal", "2.28")
    assert result.returncode == 0, result.stdout
    assert "nothing needs more than the goal" in result.stdout
    # The old symbol versions compute the same results.
    calc_new, calc_old = ctypes.CDLL(str(plain)).calc, ctypes.CDLL(str(compat)).calc
    for function in (calc_new, calc_old):
        function.restype, function.argtypes = ctypes.c_double, [ctypes.c_double]
    for x in (1.5, 0.001, 700.0):
        assert calc_old(x) == pytest.approx(calc_new(x), rel=1e-12)


def test_a_folder_without_elf_files_is_an_error_not_a_pass(tmp_path: Path) -> None:
    (tmp_path / "readme.txt").write_text("no binaries here", encoding="utf-8")
    result = run_gate(tmp_path, "--max", "2.31")
    assert result.returncode == 1
    assert "nothing was checked" in result.stderr


def test_system_libs_finds_what_the_bundle_lacks_and_ignores_what_it_holds(tmp_path: Path) -> None:
    system_libs = load("system_libs")
    compile_library(tmp_path)  # needs libm and libc only: the C library is declared as its floor
    assert system_libs.external_libraries(tmp_path) == {}
    zlib_user = tmp_path / "z.c"
    zlib_user.write_text("#include <zlib.h>\nint main(void){return zlibVersion()[0] == 0;}\n", encoding="utf-8")
    if subprocess.run(["gcc", str(zlib_user), "-o", str(tmp_path / "zprog"), "-lz"], check=False).returncode != 0:
        pytest.fail("gcc could not link -lz (zlib1g-dev)")
    assert system_libs.external_libraries(tmp_path) == {"libz.so.1": ["zprog"]}
    bundled = tmp_path / "_internal"
    bundled.mkdir()
    shutil.copy("/lib/x86_64-linux-gnu/libz.so.1", bundled / "libz.so.1")
    assert system_libs.external_libraries(tmp_path) == {}


def test_wayland_only_libraries_are_optional() -> None:
    system_libs = load("system_libs")
    required, optional = system_libs.split_optional({
        "libwayland-client.so.0": ["_internal/PySide6/Qt/plugins/platforms/libqwayland-generic.so",
                                   "_internal/PySide6/Qt/lib/libQt6WaylandClient.so.6"],
        "libxcb.so.1": ["_internal/PySide6/Qt/lib/libQt6XcbQpa.so.6"],
        "libEGL.so.1": ["_internal/PySide6/Qt/lib/libQt6Gui.so.6",
                        "_internal/PySide6/Qt/lib/libQt6WaylandEglClientHwIntegration.so.6"],
    })
    assert required == {"libxcb.so.1", "libEGL.so.1"}
    assert optional == {"libwayland-client.so.0"}


def test_nfpm_yaml_dependency_lists_are_read_as_declared() -> None:
    lists = load("system_libs").declared(LINUX / "nfpm.yaml")
    assert "libc6 (>= 2.28)" in lists["deb:depends"]
    assert "libc.so.6(GLIBC_2.28)(64bit)" in lists["rpm:depends"]
    assert "libxkbcommon-x11-0" in lists["deb:depends"]
    assert "libxcb.so.1()(64bit)" in lists["rpm:depends"]
    assert not any("fonts" in item for items in lists.values() for item in items)  # `# not a library`


def test_rebind_brings_a_linked_library_down_to_2_28_and_it_computes_the_same(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    (tmp_path / "rebound").mkdir()
    plain = compile_library(tmp_path / "plain")
    rebound = compile_library(tmp_path / "rebound")
    assert run_gate(tmp_path / "rebound", "--max", "2.28").returncode == 1
    assert load("glibc_rebind").rebind(rebound) == ["exp", "log", "pow"]
    result = run_gate(tmp_path / "rebound", "--max", "2.28", "--goal", "2.28")
    assert result.returncode == 0, result.stdout
    calc_new, calc_old = ctypes.CDLL(str(plain)).calc, ctypes.CDLL(str(rebound)).calc
    for function in (calc_new, calc_old):
        function.restype, function.argtypes = ctypes.c_double, [ctypes.c_double]
    for x in (1.5, 0.001, 700.0):
        assert calc_old(x) == pytest.approx(calc_new(x), rel=1e-12)
    assert load("glibc_rebind").rebind(rebound) == []  # nothing left to do: the file is unchanged


def test_rebind_leaves_a_symbol_that_has_no_old_version_and_the_gate_still_fails(tmp_path: Path) -> None:
    source = tmp_path / "tid.c"
    source.write_text("#define _GNU_SOURCE\n#include <unistd.h>\n#include <math.h>\n"
                      "double f(double x) { return exp(x) + gettid(); }\n", encoding="utf-8")
    library = tmp_path / "libtid.so"
    subprocess.run(["gcc", "-O2", "-fno-builtin", "-shared", "-fPIC", str(source), "-o", str(library), "-lm"],
                   check=True)
    assert load("glibc_rebind").rebind(library) == ["exp"]
    result = run_gate(tmp_path, "--max", "2.28", "--goal", "2.28")
    assert result.returncode == 1
    assert "libtid.so: gettid@GLIBC_2.30" in result.stdout
