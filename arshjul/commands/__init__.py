"""The `arshjul` sub-commands, one module per group; `arshjul/cli.py` wires them together."""
