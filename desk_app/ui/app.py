"""Starting the window: QApplication, translations, logging to a file, the crash hook, the guard.

`DESK_APP_EXIT_WHEN_READY=1` makes the app print `desk-app: ready <seconds>` once the window
is shown and its event loop runs, then quit (used by bench/startup_bench.py).
"""

from __future__ import annotations

import getpass
import logging
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QMessageBox

from desk_app import APP_NAME, paths
from desk_app.config import Settings
from desk_app.ui.background_reports import install_thread_hook

log = logging.getLogger(__name__)

READY_ENV = "DESK_APP_EXIT_WHEN_READY"
READY_MARKER = "desk-app: ready"
_START = time.perf_counter()


def ensure_application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    return app


def install_translations(app: QCoreApplication, language: str = "ru") -> list[QTranslator]:
    """Qt's own catalogue (stock buttons in Russian) and ours, when present. Returns the loaded ones."""
    loaded: list[QTranslator] = []
    QLocale.setDefault(QLocale(QLocale.Language.Russian, QLocale.Country.Russia))
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    candidates = [
        (f"qtbase_{language}", qt_dir),
        (f"desk_app_{language}", str(paths.resource("i18n"))),
    ]
    for name, folder in candidates:
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            loaded.append(translator)
        else:
            log.info("translation %s not found in %s", name, folder)
    return loaded


def setup_file_logging(settings: Settings) -> Path | None:
    """A windowed frozen app has no console: masked, rotating file logs only (never a bare StreamHandler)."""
    from desk_app.logging_setup import setup_logging

    return setup_logging(settings, console=False)


def install_crash_hook(show_dialog: bool = True) -> Callable[..., None]:
    """Log any uncaught exception and tell the user in Russian instead of dying silently; the
    same for any thread's (`threading.excepthook`, desk_app.ui.background_reports)."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QCoreApplication.quit()
            return
        log.critical("uncaught exception:\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
        if show_dialog and QApplication.instance() is not None:
            from desk_app.ui.plain_text import plain_message_box

            box = plain_message_box(
                QMessageBox.Icon.Critical,
                QCoreApplication.translate("Crash", "Ошибка программы"),
                QCoreApplication.translate(
                    "Crash",
                    "В программе произошла ошибка. Работа продолжается; если окно ведёт себя странно —"
                    " перезапустите программу. Подробности записаны в журнал для администратора.",
                ),
            )
            box.open()
            hook.last_box = box  # type: ignore[attr-defined]  # keep it alive

    sys.excepthook = hook
    install_thread_hook()  # a thread's uncaught exception: logged, and the window says so
    return hook


def instance_key(desk_id: str) -> str:
    """The single-instance socket's name: per user and desk. On Windows it is a named pipe that
    every session of the machine sees, so the user's name is in it (Windows has no uid): a second
    user at the same PC (fast user switching, a terminal server) gets a window of their own."""
    user = str(os.getuid()) if hasattr(os, "getuid") else getpass.getuser()
    return f"{APP_NAME}-{user}-{desk_id}"


class SingleInstance:
    """A local socket named per user: a second start tells the first to come forward and exits."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.server: QLocalServer | None = None

    def already_running(self) -> bool:
        socket = QLocalSocket()
        socket.connectToServer(self.key)
        if socket.waitForConnected(200):
            socket.write(b"raise")
            socket.waitForBytesWritten(200)
            socket.disconnectFromServer()
            return True
        return False

    def listen(self, on_raise: Callable[[], None]) -> None:
        QLocalServer.removeServer(self.key)
        self.server = QLocalServer()
        # Only this user may connect (on Windows: the named pipe's ACL; other users cannot poke it).
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(lambda: self._accept(on_raise))
        self.server.listen(self.key)

    def _accept(self, on_raise: Callable[[], None]) -> None:
        assert self.server is not None
        conn = self.server.nextPendingConnection()
        if conn is not None:
            conn.disconnectFromServer()
        on_raise()


def run_window(
    settings: Settings, *, config_path: Path | None = None, cleanup: Callable[[], None] | None = None
) -> int:
    """Open the desk window and run until it closes. Returns the exit status."""
    from desk_app.ui.main_window import MainWindow

    app = ensure_application()
    install_translations(app)
    setup_file_logging(settings)
    install_crash_hook()
    guard = SingleInstance(instance_key(settings.desk_id))
    exit_when_ready = os.environ.get(READY_ENV) == "1"
    if not exit_when_ready and not settings.demo and guard.already_running():
        log.info("another window is running; asked it to come forward")
        return 0
    window = MainWindow(settings, config_path=config_path)
    if not exit_when_ready:
        guard.listen(lambda: (window.showNormal(), window.raise_(), window.activateWindow()))
    from desk_app.ui.scanning import start_scanners

    start_scanners(window)
    window.show()
    if exit_when_ready:
        def report() -> None:
            print(f"{READY_MARKER} {time.perf_counter() - _START:.3f}", flush=True)
            window.close()

        QTimer.singleShot(0, report)
    try:
        return app.exec()
    finally:
        window.shutdown()
        if cleanup is not None:
            cleanup()
