"""Plain-Python session machinery: clocks, timers, the session runner. No Textual."""
