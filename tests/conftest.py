"""Shared pytest setup for the test suite.

Puts this directory on ``sys.path`` so tests can import plain helper modules
that live next to them (``from seed_text import ...``) without making
``tests`` a package.
"""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))
