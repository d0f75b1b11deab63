"""``python -m ntp_poverty`` is the ``ntp`` command."""

from ntp_poverty.cli import main

raise SystemExit(main())
