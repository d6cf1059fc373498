"""Reading and writing programmes and content packs as TOML files."""
