"""Serving kneetui to others: a built-in SSH server and the browser."""
