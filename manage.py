#!/usr/bin/env python
"""Django's command-line utility for the Tamyr project."""

import gc
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tamyr.settings.dev")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    finally:
        # The process ends here. The interpreter's shutdown ran the cycle collector over every
        # object Django and Wagtail made (1,650 modules) several times: 0.4-0.5 s of every
        # command, an import's included. Frozen, those objects are left to the end of the
        # process; nothing is lost that a shutdown promises (__del__ of objects still alive at
        # exit is not guaranteed), and files and connections are closed by the commands.
        gc.freeze()


if __name__ == "__main__":
    main()
