"""Allow `python -m orderdesk`."""

from orderdesk.cli import main

main()
