"""kneetui's benchmarks: ``python -m benchmarks`` from the repository root (see README.md here)."""
