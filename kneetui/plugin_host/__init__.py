"""Finds, loads and calls kneetui plug-ins, turning every failure into data."""
