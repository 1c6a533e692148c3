"""Both PIN fields (the administrator's PinDialog, the senior's ReasonDialog) take, as typed, only
what a PIN can be: digits, at most MAX_PIN_DIGITS (core.roles). Real key events, not setText,
which a validator does not see."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QDialog

from desk_app.core.roles import MAX_PIN_DIGITS
from desk_app.ui.dialogs import PinDialog, ReasonDialog


def _never_checked(*_args: str) -> bool:
    raise AssertionError("typing alone must not check the PIN")


@pytest.mark.parametrize(
    "make",
    [lambda: PinDialog(_never_checked, "PIN"), lambda: ReasonDialog(_never_checked, "Отмена", "Причина и PIN")],
    ids=["admin", "senior"],
)
def test_a_pin_field_takes_digits_only_up_to_the_longest_pin(qtbot: Any, make: Any) -> None:
    dialog: QDialog = make()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.pin.setFocus()
    qtbot.keyClicks(dialog.pin, "12ab 3-4x56")
    assert dialog.pin.text() == "123456"
    qtbot.keyClicks(dialog.pin, "7" * 20)
    assert dialog.pin.text() == "123456" + "7" * (MAX_PIN_DIGITS - 6)
    assert dialog.isVisible()  # nothing was submitted by typing
