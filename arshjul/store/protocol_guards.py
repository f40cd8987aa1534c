"""Triggers that lock a justerat protocol, on SQLite and PostgreSQL alike.

A justerat protocol is a public record: after the ordförande and the justerare have signed, no
paragraph may be added, no attendance changed, no signature withdrawn. The database refuses it,
whatever code (or person) tries. Only two things are written once afterwards: the anslag (date,
who, last day for appeal) and the hash of the archive copy.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from arshjul.store.guards import create_guards, drop_guards

LOCKED_MESSAGE = "the protocol is justerat and cannot be changed"
# Signatures and archive copies are never changed or removed once written.
APPEND_ONLY: dict[str, tuple[bool, tuple[str, ...]]] = {
    "protocol_signatures": (True, ()),
    "protocol_archives": (True, ()),
}
# What a justerat meeting row keeps for ever.
LOCKED_COLUMNS = (
    "org_id",
    "committee_id",
    "meeting",
    "starts_at",
    "ends_at",
    "place",
    "chair_email",
    "secretary_email",
    "attendance",
    "adjusters",
    "justerat_at",
    "created_at",
)
ONCE_COLUMNS = ("anslag_date", "anslag_by", "appeal_until")


def _changed(columns: tuple[str, ...], postgres: bool) -> str:
    # JSON has no equality operator in PostgreSQL; compare the text form.
    if postgres:
        return " OR ".join(f"NEW.{c}::text IS DISTINCT FROM OLD.{c}::text" for c in columns)
    return " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)


def _meeting_locked(postgres: bool) -> str:
    return (
        f"OLD.justerat_at IS NOT NULL AND ({_changed(LOCKED_COLUMNS, postgres)} "
        f"OR (OLD.anslag_date IS NOT NULL AND ({_changed(ONCE_COLUMNS, postgres)})) "
        f"OR (OLD.archive_sha256 IS NOT NULL AND ({_changed(('archive_sha256',), postgres)})))"
    )


_JUSTERAT_MEETING = (
    "EXISTS (SELECT 1 FROM meetings m WHERE m.org_id = NEW.org_id "
    "AND m.committee_id = NEW.committee_id AND m.meeting = NEW.meeting "
    "AND m.justerat_at IS NOT NULL)"
)
_JUSTERAT_BY_ID = (
    "EXISTS (SELECT 1 FROM meetings m WHERE m.id = NEW.meeting_id AND m.justerat_at IS NOT NULL)"
)


def _sqlite() -> list[str]:
    def abort(name: str, when: str, on: str) -> str:
        return (
            f"CREATE TRIGGER {name} BEFORE {on} WHEN {when} "
            f"BEGIN SELECT RAISE(ABORT, '{LOCKED_MESSAGE}'); END"
        )

    return [
        abort("meetings_locked", _meeting_locked(False), "UPDATE ON meetings"),
        "CREATE TRIGGER meetings_no_delete BEFORE DELETE ON meetings "
        "BEGIN SELECT RAISE(ABORT, 'meetings is append-only'); END",
        abort("decisions_not_after_justering", _JUSTERAT_MEETING, "INSERT ON decisions"),
        abort(
            "protocol_signatures_not_after_justering",
            _JUSTERAT_BY_ID,
            "INSERT ON protocol_signatures",
        ),
    ]


def _postgres() -> list[str]:
    def function(name: str, body: str) -> str:
        return (
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN {body} END; $$"
        )

    refuse = f"RAISE EXCEPTION '{LOCKED_MESSAGE}';"
    return [
        function(
            "meetings_locked",
            "IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'meetings is append-only'; END IF; "
            f"IF {_meeting_locked(True)} THEN {refuse} END IF; RETURN NEW;",
        ),
        "CREATE TRIGGER meetings_locked BEFORE UPDATE OR DELETE ON meetings "
        "FOR EACH ROW EXECUTE FUNCTION meetings_locked()",
        function(
            "decisions_not_after_justering",
            f"IF {_JUSTERAT_MEETING} THEN {refuse} END IF; RETURN NEW;",
        ),
        "CREATE TRIGGER decisions_not_after_justering BEFORE INSERT ON decisions "
        "FOR EACH ROW EXECUTE FUNCTION decisions_not_after_justering()",
        function(
            "protocol_signatures_not_after_justering",
            f"IF {_JUSTERAT_BY_ID} THEN {refuse} END IF; RETURN NEW;",
        ),
        "CREATE TRIGGER protocol_signatures_not_after_justering BEFORE INSERT ON "
        "protocol_signatures FOR EACH ROW EXECUTE FUNCTION "
        "protocol_signatures_not_after_justering()",
    ]


def create_protocol_guards(connection: Connection) -> None:
    """Creates the triggers that lock justerat protocols and keep signatures and archives."""
    create_guards(connection, APPEND_ONLY)
    postgres = connection.dialect.name == "postgresql"
    for statement in _postgres() if postgres else _sqlite():
        connection.execute(text(statement))


def drop_protocol_guards(connection: Connection) -> None:
    """Drops those triggers (only a downgrade does this)."""
    drop_guards(connection, APPEND_ONLY)
    if connection.dialect.name == "postgresql":
        for name, table in (
            ("meetings_locked", "meetings"),
            ("decisions_not_after_justering", "decisions"),
            ("protocol_signatures_not_after_justering", "protocol_signatures"),
        ):
            connection.execute(text(f"DROP TRIGGER IF EXISTS {name} ON {table}"))
            connection.execute(text(f"DROP FUNCTION IF EXISTS {name}()"))
        return
    for name in (
        "meetings_locked",
        "meetings_no_delete",
        "decisions_not_after_justering",
        "protocol_signatures_not_after_justering",
    ):
        connection.execute(text(f"DROP TRIGGER IF EXISTS {name}"))


# Anmälan av delegationsbeslut: the § and its list are part of the protocol, locked with it.
_DELEGATION_MEETING = (
    "EXISTS (SELECT 1 FROM meetings m WHERE m.org_id = {row}.org_id "
    "AND m.committee_id = {row}.committee_id AND m.meeting = {row}.meeting "
    "AND m.justerat_at IS NOT NULL)"
)
_DELEGATION_ITEM = (
    "EXISTS (SELECT 1 FROM delegation_paragraphs p JOIN meetings m ON m.org_id = p.org_id "
    "AND m.committee_id = p.committee_id AND m.meeting = p.meeting "
    "WHERE p.id = {row}.paragraph_id AND m.justerat_at IS NOT NULL)"
)
_DELEGATION_TRIGGERS = (
    # (trigger, table, operation, condition on the row)
    ("delegation_paragraphs_locked_insert", "delegation_paragraphs", "INSERT", _DELEGATION_MEETING),
    ("delegation_paragraphs_locked_update", "delegation_paragraphs", "UPDATE", _DELEGATION_MEETING),
    ("delegation_paragraphs_locked_delete", "delegation_paragraphs", "DELETE", _DELEGATION_MEETING),
    ("delegation_decisions_locked_insert", "delegation_decisions", "INSERT", _DELEGATION_ITEM),
    ("delegation_decisions_locked_update", "delegation_decisions", "UPDATE", _DELEGATION_ITEM),
    ("delegation_decisions_locked_delete", "delegation_decisions", "DELETE", _DELEGATION_ITEM),
)


def _row(operation: str) -> str:
    return "OLD" if operation == "DELETE" else "NEW"


def create_delegation_guards(connection: Connection) -> None:
    """Creates the triggers that refuse any change to a justerat meeting's delegationsbeslut."""
    _create_locks(connection, _DELEGATION_TRIGGERS)


def drop_delegation_guards(connection: Connection) -> None:
    """Drops those triggers (only a downgrade does this)."""
    _drop_locks(connection, _DELEGATION_TRIGGERS)


# The report of motioner and medborgarförslag not yet beredda: its § and the list it held when
# signed are part of the protocol, locked with it.
_MOTION_REPORT_TRIGGERS = tuple(
    (f"motion_reports_locked_{op.lower()}", "motion_reports", op, _DELEGATION_MEETING)
    for op in ("INSERT", "UPDATE", "DELETE")
)


def _create_locks(connection: Connection, triggers: tuple[tuple[str, str, str, str], ...]) -> None:
    postgres = connection.dialect.name == "postgresql"
    for name, table, operation, condition in triggers:
        when = condition.format(row=_row(operation))
        # An UPDATE must not move a row out of (or into) a justerat meeting either.
        if operation == "UPDATE":
            when = f"{when} OR {condition.format(row='OLD')}"
        if postgres:
            result = "OLD" if operation == "DELETE" else "NEW"
            connection.execute(
                text(
                    f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
                    f"$$ BEGIN IF {when} THEN RAISE EXCEPTION '{LOCKED_MESSAGE}'; END IF; "
                    f"RETURN {result}; END; $$"
                )
            )
            connection.execute(
                text(
                    f"CREATE TRIGGER {name} BEFORE {operation} ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION {name}()"
                )
            )
        else:
            connection.execute(
                text(
                    f"CREATE TRIGGER {name} BEFORE {operation} ON {table} WHEN {when} "
                    f"BEGIN SELECT RAISE(ABORT, '{LOCKED_MESSAGE}'); END"
                )
            )


def _drop_locks(connection: Connection, triggers: tuple[tuple[str, str, str, str], ...]) -> None:
    postgres = connection.dialect.name == "postgresql"
    for name, table, _, _ in triggers:
        if postgres:
            connection.execute(text(f"DROP TRIGGER IF EXISTS {name} ON {table}"))
            connection.execute(text(f"DROP FUNCTION IF EXISTS {name}()"))
        else:
            connection.execute(text(f"DROP TRIGGER IF EXISTS {name}"))


def create_motion_report_guards(connection: Connection) -> None:
    """Creates the triggers that refuse any change to a justerat meeting's motion report §."""
    _create_locks(connection, _MOTION_REPORT_TRIGGERS)


def drop_motion_report_guards(connection: Connection) -> None:
    """Drops those triggers (only a downgrade does this)."""
    _drop_locks(connection, _MOTION_REPORT_TRIGGERS)
