"""Alembic migrations of the store (run by arshjul.store.db.upgrade)."""
