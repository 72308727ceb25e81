"""``python -m mali_kg`` runs the ``mali-kg`` command."""

import sys

from .cli import main

sys.exit(main())
