"""Scanning: keyboard-wedge and serial scanners, webcams, image and PDF files.

Every route ends in the same `ScanEvent` (see `events.py`): the raw bytes of one QR text.
Modules named `qt_*.py` are the only ones that import Qt; the rest are Qt-free.
"""
