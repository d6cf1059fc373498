"""Every path kneetui uses. Directories are made when first written to, not here.

platformdirs honours ``XDG_CONFIG_HOME`` and ``XDG_DATA_HOME``, which is how the
tests (and the SSH server, per patient) point kneetui at other folders.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "kneetui"


def config_dir() -> Path:
    return platformdirs.user_config_path(APP_NAME)


def config_file() -> Path:
    return config_dir() / "config.toml"


def user_theme_dir() -> Path:
    return config_dir() / "themes"


def data_dir() -> Path:
    return platformdirs.user_data_path(APP_NAME)


def user_plugin_dir() -> Path:
    return data_dir() / "plugins"


def packs_dir() -> Path:
    return data_dir() / "packs"


def programs_dir() -> Path:
    return data_dir() / "programs"


def history_file() -> Path:
    return data_dir() / "history.sqlite3"


def serve_host_key_file() -> Path:
    """The SSH server's own host key, made on first start."""
    return data_dir() / "serve" / "ssh_host_ed25519_key"


def serve_users_dir() -> Path:
    """Where the SSH server keeps each patient's own settings and history."""
    return data_dir() / "serve-users"


def plugin_log_file() -> Path:
    """What plug-ins print while kneetui loads them (never on kneetui's own output)."""
    return platformdirs.user_state_path(APP_NAME) / "plugins.log"
