"""Entry for `python -m leadbot`."""

from leadbot.cli import main

raise SystemExit(main())
