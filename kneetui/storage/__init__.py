"""Where kneetui keeps the user's files, and how it writes them safely."""
