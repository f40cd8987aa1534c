"""What every command shares: the console, failing with a clear message and an exit code."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int = 1) -> NoReturn:
    """Prints an English error line to stderr and exits with `code` (never a traceback)."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


# Options several commands share, declared once.
ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="Årshjul YAML file (default: ARSHJUL_CONFIG).")
]
DatabaseUrlOption = Annotated[
    str | None, typer.Option("--database-url", help="Database (default: DATABASE_URL).")
]
