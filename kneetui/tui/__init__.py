"""The full-screen Textual app. It imports the domain; the domain never imports it."""
