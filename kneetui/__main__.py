"""``python -m kneetui`` runs the same command-line entry as ``kneetui``."""

from kneetui.cli.main import main

raise SystemExit(main())
