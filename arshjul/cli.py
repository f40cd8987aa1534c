"""The `arshjul` command: calendar, simulate, worker, web, up, db, protocol, compile."""

from __future__ import annotations

import importlib
import pkgutil

import typer

import arshjul.commands

app = typer.Typer(
    name="arshjul",
    help="Årshjul engine for Swedish municipalities.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    # Each module in arshjul/commands/ exposes `register(app)`; a new command is a new module.
    for info in sorted(pkgutil.iter_modules(arshjul.commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"arshjul.commands.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register()

if __name__ == "__main__":
    app()
