"""`reunify`: the project's command line. It wraps Django's management commands, so
`reunify migrate`, `reunify demo-data` and `reunify serve` all work from the .venv."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "reunify"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
