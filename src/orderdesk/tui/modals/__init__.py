"""Small dialogs that return a typed result with `dismiss`."""
