"""The visits ledger: every service recorded once, never billed twice, across every desk."""

from desk_app.visits.catalogue import Catalogue, CatalogueError, Service, load_catalogue
from desk_app.visits.model import (
    CancelResult,
    ClinicTimeZoneError,
    FirstRecord,
    LedgerTextError,
    LedgerUsageError,
    RecordResult,
    StorageError,
    Visit,
)
from desk_app.visits.service import VisitLedger

__all__ = [
    "CancelResult",
    "Catalogue",
    "CatalogueError",
    "ClinicTimeZoneError",
    "FirstRecord",
    "LedgerTextError",
    "LedgerUsageError",
    "RecordResult",
    "Service",
    "StorageError",
    "Visit",
    "VisitLedger",
    "load_catalogue",
]
