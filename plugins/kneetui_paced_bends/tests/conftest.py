"""Lets these tests run from a kneetui checkout without installing the plug-in first."""

import sys
from pathlib import Path

try:
    import kneetui_paced_bends  # noqa: F401
except ImportError:
    sys.path.insert(0, str(Path(__file__).parents[1]))
