"""Running the whole system on one machine: embedded parts, supervisor, backups, mail sink, demo."""
