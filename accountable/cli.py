"""The `accountable` console command: Django's management commands under one name.

accountable migrate | demo | serve [--port N] | worker | token USERNAME | import … | <any
manage.py command>
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accountable.config.settings")
    args = list(sys.argv if argv is None else argv)
    args[0] = "accountable"
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
