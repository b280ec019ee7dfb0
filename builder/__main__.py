"""`python -m builder` runs the `handout` command."""

from .cli import run

run()
