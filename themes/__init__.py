"""The theme files that ship with kneetui (TOML, one theme per file)."""
