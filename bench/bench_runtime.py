"""Benchmark of `arshjul up`'s housekeeping: online SQLite backup and the local SMTP sink.

Run: .venv/bin/python bench/bench_runtime.py. Figures are ratios to a plain file copy (backup)
and to a sink that keeps mails in memory (sink), so they compare across machines.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
import socket
import sqlite3
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

import aiosmtplib
from aiosmtpd.controller import Controller
from bench_mail import CountingHandler  # bench/ is on sys.path when run as a script

from arshjul.runtime.backup import backup_sqlite
from arshjul.runtime.mailsink import MailSink

MAILS = 300


def free_port() -> int:
    """Returns a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _database(path: Path, rows: int = 200_000) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=wal")
        conn.execute("CREATE TABLE t (n INTEGER, body TEXT)")
        conn.executemany("INSERT INTO t VALUES (?, ?)", ((i, "x" * 200) for i in range(rows)))


def bench_backup(tmp: Path) -> tuple[float, float, int]:
    """Returns (seconds for the online backup, seconds for a plain copy, bytes)."""
    db = tmp / "arshjul.sqlite"
    _database(db)
    start = time.perf_counter()
    backup_sqlite(db, tmp / "backups", dt.datetime.now(dt.UTC))
    online = time.perf_counter() - start
    start = time.perf_counter()
    shutil.copyfile(db, tmp / "plain.sqlite")
    plain = time.perf_counter() - start
    return online, plain, db.stat().st_size


async def _send(port: int) -> float:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a@example.org", "b@example.org", "Påminnelse"
    msg.set_content("Lämna rapporten senast fredag. " * 30)
    start = time.perf_counter()
    async with aiosmtplib.SMTP(hostname="127.0.0.1", port=port) as smtp:
        for _ in range(MAILS):
            await smtp.send_message(msg)
    return time.perf_counter() - start


def bench_sink(tmp: Path) -> tuple[float, float]:
    """Returns (seconds for MAILS mails into the maildir sink, into an in-memory sink)."""
    sink = MailSink(tmp / "mail", "127.0.0.1", free_port())
    sink.start()
    try:
        to_disk = asyncio.run(_send(sink.port))
    finally:
        sink.stop()
    port = free_port()
    memory = Controller(CountingHandler(), hostname="127.0.0.1", port=port)
    memory.start()
    try:
        in_memory = asyncio.run(_send(port))
    finally:
        memory.stop()
    return to_disk, in_memory


def main() -> None:
    """Prints the figures and their ratios."""
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        online, plain, size = bench_backup(tmp)
        print(
            f"online backup of {size / 1e6:.1f} MB: {online:.3f} s "
            f"({online / plain:.1f}x a plain file copy of {plain:.3f} s)"
        )
        to_disk, in_memory = bench_sink(tmp)
        print(
            f"sink, {MAILS} mails on one connection: {MAILS / to_disk:.0f} msg/s to the maildir, "
            f"{MAILS / in_memory:.0f} msg/s in memory (ratio {to_disk / in_memory:.2f})"
        )


if __name__ == "__main__":
    main()
