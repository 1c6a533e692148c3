"""Shared fixtures. Every test gets its own data directory; no test touches the user's files."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
pytest.register_assert_rewrite("tests.helpers")
# fixtures: ledger, ledger_url, pg_url, sqlite_url; the log-fail check; pytester (tests/app/test_skip_gate.py)
pytest_plugins = ("tests.helpers.visits", "tests.helpers.logfail", "pytester")

def pytest_configure(config: pytest.Config) -> None:
    """In CI a skip not listed in tests/skips_allowed.txt fails the run (tests/helpers/skip_gate.py)."""
    from tests.helpers import skip_gate

    skip_gate.install(config)


TEST_DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def machine_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point platformdirs' locations (config, data, logs) at a private temporary home, and the
    machine-wide config file (/etc/desk-app/config.toml, fixed in production: no environment
    variable moves it) at a file there that does not exist yet; the test may write it. In this
    process only: a subprocess gets the same with tests/helpers/machine_cli.py."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        monkeypatch.setenv(var, str(home / sub))
    from tests.helpers.machine_cli import point_machine_config

    target = home / "machine" / "config.toml"
    point_machine_config(target, monkeypatch.setattr)
    return target


@pytest.fixture(autouse=True)
def _cheap_pin_kdf(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The administrator PIN's scrypt at a test cost (2^10), so that a test checking a PIN takes
    milliseconds; tests marked `real_pin_cost` keep the production cost and floor."""
    if request.node.get_closest_marker("real_pin_cost") is None:
        from tests.helpers.machine_cli import cheapen_pin_kdf

        cheapen_pin_kdf(monkeypatch.setattr)


@pytest.fixture(autouse=True)
def _drop_app_log_handlers() -> Iterator[None]:
    """Commands run in-process install the app's log handlers; no test inherits another's."""
    yield
    import logging

    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_desk_app_handler", False)]:
        root.removeHandler(handler)
        handler.close()


@pytest.fixture(autouse=True)
def _dispose_top_level_widgets() -> Iterator[None]:
    """Delete every window a test left behind through Qt's own event loop, before the next test.

    Otherwise Python's garbage collector deletes them at some later moment, possibly while Qt
    is dispatching a focus change that still points at them (seen: a segfault in
    QApplicationPrivate::notifyActiveWindowChange).
    """
    yield
    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


@pytest.fixture(autouse=True)
def _fail_on_gui_callback_errors(request: pytest.FixtureRequest) -> Iterator[None]:
    """qutebrowser's log-fail idea: a callback that raised on the GUI thread (the window's
    dispatcher logs it and carries on, so a user never sees a traceback) fails the test that
    caused it, instead of being swallowed. Unexpected Qt warnings fail it too (pytest-qt's
    `qt_log_level_fail` in pyproject.toml). A test that provokes a failure on purpose says so
    with `@pytest.mark.gui_callback_may_fail`."""
    from desk_app.ui import tasks

    failures: list[BaseException] = []
    tasks.callback_failure_listeners.append(failures.append)
    try:
        yield
    finally:
        tasks.callback_failure_listeners.remove(failures.append)
    if failures and request.node.get_closest_marker("gui_callback_may_fail") is None:
        pytest.fail(f"a GUI callback raised: {failures[0]!r} (see the log for the traceback)", pytrace=False)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "desk-data"
    d.mkdir()
    return d


# --- the test Treasury and signed policies (shared by every area's tests) ---------------------

import threading  # noqa: E402
from collections.abc import Callable  # noqa: E402
from functools import partial  # noqa: E402
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer  # noqa: E402

from desk_app.config import Settings  # noqa: E402
from desk_app.demo.issuer import PolicyData, TestTreasury  # noqa: E402
from desk_app.verify.trust_store import TrustStore  # noqa: E402


@pytest.fixture(scope="session")
def treasury(tmp_path_factory: pytest.TempPathFactory) -> TestTreasury:
    """A TEST Treasury (root, intermediate, signers rsa/ec/revoked/expired/rsa1024, CRLs).

    A module may override this fixture with a parametrised one to run its tests on several
    kinds of Treasury (see tests/verify/test_verify_attacks.py).
    """
    return TestTreasury.create(tmp_path_factory.mktemp("treasury"))


@pytest.fixture(scope="session")
def gost_treasury(tmp_path_factory: pytest.TempPathFactory) -> TestTreasury:
    """A GOST TEST Treasury: 512-bit root, 256-bit intermediate and signers (gost256,
    gost256-inter, gost512, revoked, expired) and mixed ones (ec under the intermediate, rsa
    under the root)."""
    return TestTreasury.create(tmp_path_factory.mktemp("gost-treasury"), algorithm="gost")


@pytest.fixture
def policy_xml(treasury: TestTreasury) -> Callable[..., bytes]:
    """policy_xml(signer=None, embed_cert=True, **PolicyData fields) -> signed XML bytes.

    `signer` defaults to the Treasury's default signer ("rsa", or "gost256" for GOST).
    """

    def make(signer: str | None = None, embed_cert: bool = True, **fields: object) -> bytes:
        return treasury.sign_policy(PolicyData(**fields), signer, embed_cert=embed_cert)  # type: ignore[arg-type]

    return make


@pytest.fixture
def judge_settings(treasury: TestTreasury, data_dir: Path) -> Settings:
    """Settings pinning the test Treasury's root, with the trust cache primed from its files."""
    settings = Settings(trust_root=str(treasury.root_pem_path), data_dir=str(data_dir))
    TrustStore(settings.trust_root_path, settings.trust_cache_dir).prime_from(treasury.base_dir)
    return settings


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def serve_directory() -> Iterator[Callable[[Path], str]]:
    """serve_directory(path) -> base URL of a real HTTP server on 127.0.0.1 serving that folder."""
    servers: list[ThreadingHTTPServer] = []

    def start(path: Path) -> str:
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(path)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
