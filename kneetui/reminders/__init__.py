"""Reminders the person installs and removes, what they show when they fire, and calendar files."""
