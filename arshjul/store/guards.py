"""Database triggers that keep records append-only, whatever code (or person) touches the database.

Used by the migrations; a migration calls these at the revision that introduced them.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

# table -> (refuse every UPDATE?, columns an UPDATE may not change when not every UPDATE is refused)
GUARDED: dict[str, tuple[bool, tuple[str, ...]]] = {
    "audit_log": (True, ()),
    "decisions": (True, ()),
    "sent_mail": (True, ()),
    # A submission's delivery status moves on; what the person submitted never changes.
    "submissions": (
        False,
        ("workflow_id", "version", "content", "sha256", "submitted_by", "submitted_at"),
    ),
}


def _sqlite_statements(table: str, all_updates: bool, columns: tuple[str, ...]) -> list[str]:
    message = f"{table} is append-only"
    statements = [
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
    ]
    if all_updates:
        statements.append(
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )
    else:
        changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)
        statements.append(
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"WHEN {changed} BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )
    return statements


def _postgres_statements(table: str, all_updates: bool, columns: tuple[str, ...]) -> list[str]:
    message = f"{table} is append-only"
    if all_updates:
        body = f"RAISE EXCEPTION '{message}';"
    else:
        # JSON has no equality operator in PostgreSQL; compare the text form.
        changed = " OR ".join(f"NEW.{c}::text IS DISTINCT FROM OLD.{c}::text" for c in columns)
        body = (
            f"IF TG_OP = 'DELETE' OR {changed} THEN RAISE EXCEPTION '{message}'; END IF; "
            "RETURN NEW;"
        )
    return [
        f"CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger "
        f"LANGUAGE plpgsql AS $$ BEGIN {body} END; $$",
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()",
    ]


Guards = dict[str, tuple[bool, tuple[str, ...]]]


def create_guards(connection: Connection, tables: Guards | None = None) -> None:
    """Creates the append-only triggers on the given tables (by default those of 0001)."""
    build = _postgres_statements if connection.dialect.name == "postgresql" else _sqlite_statements
    for table, (all_updates, columns) in (GUARDED if tables is None else tables).items():
        for statement in build(table, all_updates, columns):
            connection.execute(text(statement))


def drop_guards(connection: Connection, tables: Guards | None = None) -> None:
    """Drops the append-only triggers (only a downgrade does this)."""
    for table in GUARDED if tables is None else tables:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"))
            connection.execute(text(f"DROP FUNCTION IF EXISTS {table}_append_only()"))
        else:
            connection.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_delete"))
            connection.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_update"))


# Append-only tables that gallring may thin: table -> the condition (SQL on OLD and the permit
# `p`) under which a DELETE is let through. Only rows older than a permit the gallring wrote in
# the same transaction qualify, so any other DELETE is still refused.
RETENTION_PERMITS: dict[str, str] = {
    "sent_mail": "OLD.sent_at < p.cutoff",
    "audit_log": "OLD.time < p.cutoff",
    "ledger_imports": "OLD.imported_at < p.cutoff",
    "ledger_figures": (
        "EXISTS (SELECT 1 FROM ledger_imports i WHERE i.id = OLD.import_id "
        "AND i.imported_at < p.cutoff)"
    ),
}


def _permitted(table: str) -> str:
    return (
        f"EXISTS (SELECT 1 FROM retention_permits p WHERE p.table_name = '{table}' "
        f"AND {RETENTION_PERMITS[table]})"
    )


def create_retention_guards(connection: Connection) -> None:
    """Lets a DELETE through on the gallrade tables when a retention permit covers the row."""
    postgres = connection.dialect.name == "postgresql"
    for table in RETENTION_PERMITS:
        message = f"{table} is append-only"
        if postgres:
            connection.execute(
                text(
                    f"CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger "
                    f"LANGUAGE plpgsql AS $$ BEGIN "
                    f"IF TG_OP = 'DELETE' AND {_permitted(table)} THEN RETURN OLD; END IF; "
                    f"RAISE EXCEPTION '{message}'; END; $$"
                )
            )
        else:
            connection.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_delete"))
            connection.execute(
                text(
                    f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                    f"WHEN NOT {_permitted(table)} "
                    f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
                )
            )


def drop_retention_guards(connection: Connection) -> None:
    """Restores the plain append-only triggers of the gallrade tables (a downgrade)."""
    for table in RETENTION_PERMITS:
        if connection.dialect.name == "postgresql":
            connection.execute(text(_postgres_statements(table, True, ())[0]))
        else:
            connection.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_delete"))
            connection.execute(text(_sqlite_statements(table, True, ())[0]))
