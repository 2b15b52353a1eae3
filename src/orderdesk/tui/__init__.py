"""The desk: Textual screens over the same services as the CLI. Nothing here decides."""
