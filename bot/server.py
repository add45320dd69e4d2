"""The one way the assistant's Rasa processes start: our fixes to Rasa first, then Rasa's own CLI.

    python -m bot.server run --model models/vragenbot.tar.gz --endpoints endpoints.yml ...
    python -m bot.server shell --model ...

Takes any `rasa` command line. `scripts/serve`, `scripts/run-scaled`, `make bench` and the
tests start Rasa this way, so the fixes of bot/rasa_patches.py (the Dutch apology when the
action server is down, the prepared reply validator, fast long conversations) never depend
on which NLU component happens to load first. Before anything imports Rasa, the libraries'
start-up notices are turned off (bot/quiet.py; VRAGENBOT_DEBUG=1 shows them), and a session
key file that other users may read is narrowed (bot/private_files.py).
"""
from __future__ import annotations

import sys
from typing import List, Optional

from bot import quiet


def main(argv: Optional[List[str]] = None) -> None:
    quiet.quiet_third_party_notices()  # before Rasa imports TensorFlow, sanic and the rest
    from bot import rasa_patches
    from bot.web import sessions

    rasa_patches.apply()
    sessions.narrow_secret_file()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *(sys.argv[1:] if argv is None else argv)]
    rasa_main()


if __name__ == "__main__":
    main()
