#!/usr/bin/env bash
# Runs INSIDE the Debian 11 build root: builds CPython from the source tarball given as $1 into
# /opt/python3.11 (shared libpython, as PyInstaller needs). Calls to glibc symbols newer than
# 2.28 are avoided (glibc_compat.h; sem_clockwait, 2.30, is configured out: CPython falls back
# to sem_timedwait), so the interpreter loads on glibc 2.28.
#   build_python.sh /src/python3.11_X.orig.tar.gz /path/to/glibc_compat.h
set -euo pipefail
tarball="$1"; compat="$2"
prefix=/opt/python3.11
work=/tmp/cpython-build
rm -rf "$work" "$prefix"
mkdir -p "$work"
tar -xzf "$tarball" -C "$work" --strip-components=1
cd "$work"
CFLAGS="-O2 -include $compat" \
  LDFLAGS="-Wl,-rpath,$prefix/lib" \
  ac_cv_func_sem_clockwait=no ac_cv_func_pthread_cond_clockwait=no \
  ./configure --prefix="$prefix" --enable-shared --with-ensurepip=install \
  >/tmp/cpython-configure.log 2>&1 || { tail -40 /tmp/cpython-configure.log; exit 1; }
make -j"$(nproc)" >/tmp/cpython-make.log 2>&1 || { tail -60 /tmp/cpython-make.log; exit 1; }
make install >/tmp/cpython-install.log 2>&1 || { tail -40 /tmp/cpython-install.log; exit 1; }
# The test suite is not shipped (PyInstaller takes only what the app imports); save the space.
rm -rf "$prefix/lib/python3.11/test" "$prefix/lib/python3.11/idlelib/idle_test"
cd /
rm -rf "$work"
"$prefix/bin/python3.11" -c 'import ssl, sqlite3, ctypes, lzma, bz2, zlib, uuid, decimal; print("python:", ssl.OPENSSL_VERSION)'
