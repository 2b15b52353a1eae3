"""Plain functions over a Session: everything orderdesk decides, with no UI in sight."""
