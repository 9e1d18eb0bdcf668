"""The exit codes every ``kiosk`` and ``kiosk-receiver`` command uses (docs/technician.md),
and file errors put in words.

A command's output may go into a pipe that closes early (``kiosk-receiver list | head``):
``exit_quietly_on_broken_pipe`` ends it without a traceback, the way the Python
documentation advises (signal module, "Note on SIGPIPE").
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

OK = 0
# The command ran and its answer is a problem: a doctor FAIL, a broken journal, an unknown
# id, a refused PIN, credentials the back office still refuses.
PROBLEM = 1
# The command line or the configuration cannot be used: a wrong option or value, an
# invalid configuration file, an output file that already exists, an unreadable input.
USAGE = 2
# The terminal's own data is missing or cannot be read: no journal, a damaged queue, a key
# that is not enrolled, a keyring that refuses.
DATA = 3
INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT
BROKEN_PIPE = 141  # the reader went away, as shells report SIGPIPE


def in_words(error: OSError | UnicodeDecodeError) -> str:
    """A file error as a technician reads it: ``No such file or directory``, never
    ``[Errno 2] ...``; bytes that are not text say so."""
    if isinstance(error, UnicodeDecodeError):
        return "it is not text (a secret is written in hex or base64)"
    return error.strerror or type(error).__name__


def exit_quietly_on_broken_pipe(command: Callable[[], int]) -> int:
    """Run ``command``; when its reader has closed the pipe, end with ``BROKEN_PIPE`` and
    no traceback (stdout is pointed at /dev/null so the final flush cannot fail again)."""
    try:
        code = command()
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return BROKEN_PIPE
    return code
