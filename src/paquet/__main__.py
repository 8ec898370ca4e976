"""``python -m paquet``: the command line."""

from paquet.cli.main import run

run()
