"""``python -m munitag``: the same as the ``munitag`` command."""

from .cli import main

raise SystemExit(main())
