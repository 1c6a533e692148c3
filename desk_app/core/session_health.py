"""What the desk knows about its devices and services, kept across patients (Qt-free).

The status bar shows it; the window only forwards events here. Registry reachability is
inferred from two witnesses: a verdict that asked the registry (its `status_source`) and a
run of the offline copy's sync (an exception means the registry did not answer).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from desk_app.core.scan_transport import ScanTransports


@dataclass
class DeskHealth:
    serial_state: str | None = None  # SerialState value
    camera_state: str | None = None  # CameraState value, or "unavailable"
    registry_source: str | None = None  # "online" / "cache" / "none"; None = not known yet
    ledger_error: str | None = None  # English, why the visits ledger cannot be used
    judge_error: str | None = None  # English, why the judge (trust root, trust list) cannot be built
    transports: ScanTransports = field(default_factory=ScanTransports)  # the way each scan came in
    sync_failed: bool = False  # the offline copy's sync thread stopped: error

    def saw_verdict(self, verdict: Any) -> None:
        """Only a verdict whose signature was good asked the registry."""
        if verdict.signature in ("ok", "not_applicable"):
            self.registry_source = verdict.status_source

    def saw_sync(self, outcome: Any) -> None:
        self.registry_source = "cache" if isinstance(outcome, Exception) else "online"
