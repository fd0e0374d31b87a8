"""`python -m emulator.cli`: the same as the `stream-sqs-emulator` command."""

import sys

from . import main

sys.exit(main())
