from __future__ import annotations

import sys

from smlint.cli import main

sys.exit(main())
