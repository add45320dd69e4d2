"""Files only the assistant's own user may read: the session key, the conversations, the usage report.

Each is created with its final mode in one step (mode 600, folders we create 700), never
written first and narrowed afterwards: in between, another local user could open it, and an
open file stays readable after a chmod. A file found with a wider mode (made by an older
version) is narrowed when the assistant starts, with a log line.
"""
from __future__ import annotations

import logging
import os
import stat
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)

FILE_MODE = 0o600
DIRECTORY_MODE = 0o700


def create_private_file(path: Path, content: bytes = b"") -> bool:
    """Create `path` holding `content`, mode 600 from the start; False (and untouched) if it exists."""
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    except FileExistsError:
        return False
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)
    return True


def new_private_file(directory: Path, content: bytes, prefix: str) -> Path:
    """A new file with a unique name in `directory` holding `content`, mode 600 from the start.

    For a file that must appear complete or not at all: write it here, then link or rename it
    into place (`tempfile.mkstemp` creates with O_EXCL and mode 600).
    """
    descriptor, name = tempfile.mkstemp(dir=directory, prefix=prefix)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(content)
    except BaseException:
        os.unlink(name)
        raise
    return Path(name)


def write_private_file(path: Path, text: str) -> None:
    """Replace `path` with `text` (UTF-8), mode 600: a reader sees the old file or the whole new one."""
    narrow(path)
    staging = new_private_file(path.parent, text.encode("utf-8"), prefix=f".{path.name}.")
    try:
        os.replace(staging, path)
    except BaseException:
        staging.unlink(missing_ok=True)
        raise


def make_private_directory(path: Path) -> None:
    """Create the folder `path` with mode 700 (missing parents as usual); an existing one is left as it is."""
    path.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)


def narrow(path: Path) -> None:
    """If `path` exists and other users may read or write it, make it 600 and say so in the log."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return
    if mode & ~FILE_MODE:
        path.chmod(FILE_MODE)
        logger.warning("%s was open to other users (mode %03o); it is now %03o, for its owner only.",
                       path, mode, FILE_MODE)
