"""The one source of the ledger's schema, its migrations and its shared statements, for both
backends (SQLite and PostgreSQL).

The tables, indexes and checks are written once, with the few words the dialects spell
differently filled in from a `Dialect`; only the append-only triggers differ in shape (SQLite's
`RAISE(ABORT)` against a PL/pgSQL function) and are kept side by side here. The backends
(`sqlite_store.py`, `postgres_store.py`) take their DDL and their SELECT/INSERT text from this
module and never write their own. Schema history (docs/visits.md):

- 1: visits, audit_log, audit_head, and their guards;
- 2: ledger_settings holds the clinic's time zone (written once);
- 3: identity_check is one of IDENTITY_CHECKS (new: document_typed), enforced by the store
  (a CHECK added to PostgreSQL's table; triggers in SQLite, which cannot add a CHECK).
"""

from __future__ import annotations

from dataclasses import dataclass

from desk_app.visits.model import IDENTITY_CHECKS

SCHEMA_VERSION = 3
CLINIC_TIMEZONE_KEY = "clinic_timezone"

# Visit columns in the order both backends select them (see desk_app.visits.rows.visit_from_row).
VISIT_COLUMNS: tuple[str, ...] = (
    "id", "policy_number", "last_name", "first_name", "middle_name", "birth_date",
    "service_code", "service_name", "doctor", "desk_id", "recorded_at", "visit_day",
    "decision", "signature", "status", "status_source", "identity_check", "warn_reason", "role",
    "override_of", "override_reason", "cancelled_at", "cancel_reason", "cancelled_by",
)  # fmt: skip
INSERT_COLUMNS: tuple[str, ...] = VISIT_COLUMNS[1:21]


@dataclass(frozen=True)
class Dialect:
    name: str
    param: str  # the driver's placeholder
    id_type: str  # visits.id
    big_int: str  # references to visits.id, audit sequence numbers
    date_type: str
    time_type: str


SQLITE = Dialect("sqlite", "?", "INTEGER", "INTEGER", "TEXT", "TEXT")
POSTGRES = Dialect("postgres", "%s", "BIGSERIAL", "BIGINT", "DATE", "TIMESTAMPTZ")

_TABLES_V1 = """
CREATE TABLE visits (
    id {d.id_type} PRIMARY KEY,
    policy_number TEXT NOT NULL,
    last_name TEXT, first_name TEXT, middle_name TEXT, birth_date {d.date_type},
    service_code TEXT NOT NULL,
    service_name TEXT NOT NULL,
    doctor TEXT NOT NULL,
    desk_id TEXT NOT NULL,
    recorded_at {d.time_type} NOT NULL,
    visit_day {d.date_type} NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('accept', 'warn')),
    signature TEXT NOT NULL,
    status TEXT NOT NULL,
    status_source TEXT NOT NULL,
    identity_check TEXT NOT NULL,
    warn_reason TEXT,
    role TEXT NOT NULL,
    override_of {d.big_int} REFERENCES visits(id),
    override_reason TEXT,
    cancelled_at {d.time_type}, cancel_reason TEXT, cancelled_by TEXT,
    CHECK ((override_of IS NULL) = (override_reason IS NULL))
);
CREATE UNIQUE INDEX visits_once_per_day ON visits (policy_number, service_code, visit_day)
    WHERE cancelled_at IS NULL AND override_of IS NULL;
CREATE INDEX visits_by_key ON visits (policy_number, service_code, visit_day);
CREATE INDEX visits_by_day ON visits (visit_day, desk_id);
CREATE TABLE audit_log (
    seq {d.big_int} PRIMARY KEY,
    action TEXT NOT NULL,
    visit_id {d.big_int} NOT NULL,
    entry TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq {d.big_int} NOT NULL, hash TEXT NOT NULL);
"""
_TABLES_V2 = """
CREATE TABLE ledger_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

# The guards: append-only audit log, visits never deleted, clinic settings written once.
_GUARDS_V1 = {
    "sqlite": """
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER visits_no_delete BEFORE DELETE ON visits
    BEGIN SELECT RAISE(ABORT, 'visits are cancelled, never deleted'); END;
""",
    "postgres": """
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, repeat('0', 64));
CREATE FUNCTION desk_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on % is not allowed: the ledger is append-only', TG_OP, TG_TABLE_NAME;
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION desk_refuse_change();
CREATE TRIGGER visits_no_delete BEFORE DELETE ON visits
    FOR EACH ROW EXECUTE FUNCTION desk_refuse_change();
""",
}
_GUARDS_V2 = {
    "sqlite": """
CREATE TRIGGER ledger_settings_no_update BEFORE UPDATE ON ledger_settings
    BEGIN SELECT RAISE(ABORT, 'the clinic settings of a ledger are written once'); END;
""",
    "postgres": """
CREATE TRIGGER ledger_settings_write_once BEFORE UPDATE OR DELETE ON ledger_settings
    FOR EACH ROW EXECUTE FUNCTION desk_refuse_change();
""",
}
_KNOWN_CHECKS = ", ".join(f"'{c}'" for c in IDENTITY_CHECKS)  # constants of model.py, never input
_GUARDS_V3 = {
    "sqlite": f"""
CREATE TRIGGER visits_identity_check_insert BEFORE INSERT ON visits
    WHEN NEW.identity_check NOT IN ({_KNOWN_CHECKS})
    BEGIN SELECT RAISE(ABORT, 'unknown identity check value'); END;
CREATE TRIGGER visits_identity_check_update BEFORE UPDATE OF identity_check ON visits
    WHEN NEW.identity_check NOT IN ({_KNOWN_CHECKS})
    BEGIN SELECT RAISE(ABORT, 'unknown identity check value'); END;
""",
    "postgres": f"""
ALTER TABLE visits ADD CONSTRAINT visits_identity_check_known CHECK (identity_check IN ({_KNOWN_CHECKS}));
""",
}


def schema(dialect: Dialect) -> str:
    """The DDL of a new ledger at SCHEMA_VERSION (after its `schema_version` table)."""
    return "".join(schema_step(dialect, v) for v in range(1, SCHEMA_VERSION + 1))


def schema_step(dialect: Dialect, version: int) -> str:
    """The DDL that takes a ledger from `version - 1` to `version` (1: a new ledger's tables)."""
    if version == 1:
        return _TABLES_V1.format(d=dialect) + _GUARDS_V1[dialect.name]
    if version == 2:
        return _TABLES_V2 + _GUARDS_V2[dialect.name]
    if version == 3:
        return _GUARDS_V3[dialect.name]
    raise ValueError(f"no schema step {version}")


# Built only from the constant column lists above, never from input.
def select_sql() -> str:
    return "SELECT " + ", ".join(VISIT_COLUMNS) + " FROM visits"  # noqa: S608


def insert_sql(dialect: Dialect) -> str:
    marks = ", ".join([dialect.param] * len(INSERT_COLUMNS))
    return f"INSERT INTO visits ({', '.join(INSERT_COLUMNS)}) VALUES ({marks})"  # noqa: S608


def first_record_sql(dialect: Dialect) -> str:
    """The first live record of a (policy, service, day): the original before any override."""
    p = dialect.param
    return (
        select_sql() + f" WHERE policy_number = {p} AND service_code = {p} AND visit_day = {p}"
        " AND cancelled_at IS NULL ORDER BY override_of IS NOT NULL, id LIMIT 1"
    )
