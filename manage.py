#!/usr/bin/env python
"""Django's command-line utility for Ruche."""

import os
import sys
from pathlib import Path

# platform/ is a folder of apps, not a package (a package named `platform` would shadow
# the standard library module): put it on the path so `ruche`, `people`... import.
ROOT = Path(__file__).resolve().parent
for path in (ROOT / "platform", ROOT):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruche.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
