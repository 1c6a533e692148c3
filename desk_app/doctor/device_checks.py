"""Each configured scanner and camera: present, openable, giving frames."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from desk_app.config import Settings
from desk_app.doctor.result import CheckResult, error, ok, warning

CAMERA_FRAME_SECONDS = 4.0


def check_wedge(settings: Settings) -> CheckResult:
    title, title_ru = "Keyboard-wedge scanner", "Сканер в режиме клавиатуры"
    if not settings.wedge_enabled:
        return ok("scanner_wedge", title, title_ru, "switched off (scanner.wedge = false)",
                  "выключен (scanner.wedge = false)")
    return ok(
        "scanner_wedge", title, title_ru,
        "enabled; a keyboard scanner cannot be probed: scan a policy in the window to test it "
        "(the Russian keyboard layout is handled)",
        "включён; проверить его можно только сканированием полиса в окне программы (русская раскладка "
        "распознаётся)",
        max_gap_ms=settings.wedge_max_gap_ms,
    )


def check_serial(settings: Settings) -> CheckResult | None:
    """None when no serial scanner is configured."""
    port = settings.serial_port
    if not port:
        return None
    title, title_ru = "Serial (USB-COM) scanner", "Сканер на COM-порту"
    details = {"port": port, "baud": settings.serial_baud}

    def missing() -> CheckResult:
        return error(
            "scanner_serial", title, title_ru,
            f"{port} does not exist: is the scanner plugged in and in USB-COM mode? Ports present: {_ports()}",
            f"Порт {port} не найден: подключён ли сканер и включён ли режим USB-COM? Доступные порты: {_ports()}",
            **details,
        )

    if port.startswith("/dev/") and not Path(port).exists():
        return missing()
    import serial

    try:
        handle = serial.Serial(port, settings.serial_baud, timeout=0.2)
    except serial.SerialException as exc:
        text = str(exc)
        if "FileNotFoundError" in text:  # Windows: no device provides this COM port (COM3, \\.\COM12)
            return missing()
        # Windows opens a COM port exclusively: another holder reads as "Access is denied".
        if "busy" in text.lower() or (sys.platform == "win32" and "denied" in text.lower()):
            return warning(
                "scanner_serial", title, title_ru,
                f"{port} is busy: another program (or the open desk window) holds it",
                f"Порт {port} занят другой программой (или открытым окном desk-app).",
                **details,
            )
        if "ermission" in text or "denied" in text.lower():
            return error(
                "scanner_serial", title, title_ru,
                f"{port}: permission denied: add the desk's user to the 'dialout' group (Linux) and log in again",
                f"Нет доступа к порту {port}: добавьте пользователя в группу dialout (Linux) и перезайдите.",
                **details,
            )
        return error(
            "scanner_serial", title, title_ru,
            f"{port} cannot be opened ({text}); ports present: {_ports()}",
            f"Порт {port} не открывается. Доступные порты: {_ports()}",
            **details,
        )
    handle.close()
    return ok("scanner_serial", title, title_ru, f"{port} opens at {settings.serial_baud} baud",
              f"порт {port} открывается ({settings.serial_baud} бод)", **details)


def _ports() -> str:
    try:
        from desk_app.scanner.serial_source import list_ports

        ports = list_ports()
    except Exception:  # listing is only a hint; never let it hide the real answer
        return "(cannot list)"
    names = [p.stable_names[0] if p.stable_names else p.device for p in ports]
    return ", ".join(names) if names else "none"


def check_camera(settings: Settings, wait_seconds: float = CAMERA_FRAME_SECONDS) -> CheckResult | None:
    """None when no camera is configured. Opens it and waits for one frame."""
    spec = settings.camera.strip()
    if not spec:
        return None
    title, title_ru = "Camera", "Камера"
    from desk_app.scanner.camera import FrameSource

    source = FrameSource(spec)
    details = {"camera": spec}
    try:
        if not source.open():
            return error(
                "camera", title, title_ru,
                f"{source} ({spec}) cannot be opened: plugged in? used by another program (a video call)?",
                f"Камера ({spec}) не открывается: подключена ли она, не занята ли другой программой?",
                **details,
            )
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline:
            frame = source.read()
            if frame is not None:
                height, width = frame[0].shape[:2]
                return ok("camera", title, title_ru, f"{source} gives frames ({width}x{height})",
                          f"камера работает, кадр {width}x{height}", width=width, height=height, **details)
            time.sleep(0.05)
        return error(
            "camera", title, title_ru,
            f"{source} opened but gave no frame within {wait_seconds:g} s",
            f"Камера открылась, но за {wait_seconds:g} с не дала ни одного кадра.",
            **details,
        )
    finally:
        source.close()
