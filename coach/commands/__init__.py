"""The command vocabulary (data) and the parser from text to intent."""
