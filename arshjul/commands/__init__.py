"""The `arshjul` sub-commands, one module per group; `arshjul/cli.py` wires them together.

Each command imports the layers it drives (Temporal, SQLAlchemy, FastAPI, WeasyPrint, the web
app) inside its function, not at the top: every command module is loaded for `arshjul --help`
and for each call, and loading them all takes several seconds (measured 2026-12-07 on this
machine under load: `arshjul --help` 1.4–1.8 s, importing web.app, worker, compile and protocol
10–12 s). The layering itself is checked by import-linter over these imports too.
"""
