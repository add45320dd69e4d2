"""The one way the action server starts: the libraries' start-up notices off, then rasa-sdk's own CLI.

    python -m bot.actions_server --actions actions --port 5055

Takes rasa-sdk's command line (`python -m rasa_sdk ...`). Like `python -m rasa_sdk`, it never
imports Rasa (`rasa run actions` would load Rasa and TensorFlow: 0.5 GB more). It exists
because rasa-sdk imports sanic-cors, which warns, before it reads the actions package: the
filters of bot/quiet.py have to be in place before that.
"""
from __future__ import annotations

import sys
from typing import List, Optional

from bot import quiet


def main(argv: Optional[List[str]] = None) -> None:
    quiet.quiet_third_party_notices()
    from rasa_sdk.__main__ import main as rasa_sdk_main

    sys.argv = ["rasa_sdk", *(sys.argv[1:] if argv is None else argv)]
    rasa_sdk_main()


if __name__ == "__main__":
    main()
