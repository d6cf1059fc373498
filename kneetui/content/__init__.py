"""Plain content model: exercises, aids, FAQ entries, topics, sources and programmes."""
