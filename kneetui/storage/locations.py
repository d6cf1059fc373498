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


def serve_dir() -> Path:
    """The SSH server's own files: host key, keys folder, audit log and state."""
    return data_dir() / "serve"


def serve_host_key_file() -> Path:
    """The SSH server's own host key, made on first start."""
    return serve_dir() / "ssh_host_ed25519_key"


def serve_keys_dir() -> Path:
    """One OpenSSH authorized_keys file per patient, named after their login name."""
    return serve_dir() / "keys"


def serve_audit_log() -> Path:
    return serve_dir() / "audit.log"


def serve_users_dir() -> Path:
    """Where the SSH server keeps each patient's own settings and history."""
    return data_dir() / "serve-users"


def serve_web_home() -> Path:
    """The folder ``serve web`` gives the kneetui in the browser as its home."""
    return data_dir() / "serve-web"


def plugin_log_file() -> Path:
    """What plug-ins print while kneetui loads them (never on kneetui's own output)."""
    return platformdirs.user_state_path(APP_NAME) / "plugins.log"
