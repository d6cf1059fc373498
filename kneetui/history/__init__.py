"""The session history kept in SQLite, and its exports."""
