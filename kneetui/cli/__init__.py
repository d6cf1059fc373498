"""The ``kneetui`` command: plain, pipe-friendly subcommands and the full-screen app."""
