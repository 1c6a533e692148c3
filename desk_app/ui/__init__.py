"""The PySide6 desk window: shows state and hands every slow job to background lanes."""
