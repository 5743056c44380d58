"""`python -m memos_client.cli`: the `memos` command without the console script."""

import sys

from . import main

sys.exit(main())
