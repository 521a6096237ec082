import sys

from calculator.cli import console

sys.exit(console())
