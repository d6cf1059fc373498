"""Plug-ins that misbehave in every way a real one might, for the loader tests."""
