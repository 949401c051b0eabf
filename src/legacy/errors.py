"""The migration's one error: what the operator is told when a run cannot go on."""


class MigrationError(Exception):
    """The migration cannot run as asked; nothing was written."""
