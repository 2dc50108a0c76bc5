"""Makes the runner modules importable and checks which certbridge is
tested (the freshly generated package on PYTHONPATH, or an installed wheel)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
