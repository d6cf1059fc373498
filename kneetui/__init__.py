"""kneetui: a terminal companion for home exercises for pain on the inside of the knee."""

__version__ = "0.1.0"
