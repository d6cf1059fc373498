"""``python -m benchmarks`` runs every benchmark and prints the table (see ``benchmarks/run.py``)."""

import sys

from benchmarks.run import main

sys.exit(main())
