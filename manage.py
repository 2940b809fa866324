#!/usr/bin/env python
"""Django's usual entry point; `reunify` (src/reunify/cli.py) does the same from the .venv."""

import sys

from reunify.cli import main

if __name__ == "__main__":
    main(sys.argv)
