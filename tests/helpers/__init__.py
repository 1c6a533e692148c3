"""Shared test helpers (servers, windows, ledgers)."""
