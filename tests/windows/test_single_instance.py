"""The single-instance guard on Windows: a named pipe every session of the PC sees. A second start
by the same user brings the first window forward; another user at the same PC gets their own."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from desk_app.ui.app import SingleInstance, instance_key


def _as_user(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    for var in ("LOGNAME", "USER", "LNAME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("USERNAME", name)


def test_second_start_of_the_same_user_raises_the_first_and_another_user_is_not_stopped(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    raised: list[bool] = []
    _as_user(monkeypatch, "Регистратура 1")
    first = SingleInstance(instance_key("desk-1"))
    first.listen(lambda: raised.append(True))
    try:
        _as_user(monkeypatch, "Регистратура 2")
        other_user = SingleInstance(instance_key("desk-1"))
        assert not other_user.already_running(), "another user's desk must not be taken for this user's"

        _as_user(monkeypatch, "Регистратура 1")
        again = SingleInstance(instance_key("desk-1"))
        assert again.already_running()
        qtbot.waitUntil(lambda: raised == [True], timeout=5000)
    finally:
        assert first.server is not None
        first.server.close()


def test_after_the_first_window_closes_a_new_start_is_not_refused(qtbot: QtBot) -> None:
    first = SingleInstance(instance_key("desk-7"))
    first.listen(lambda: None)
    assert first.server is not None and first.server.isListening()
    first.server.close()
    assert not SingleInstance(instance_key("desk-7")).already_running()
