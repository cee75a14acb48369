"""Progress bars (tqdm) and verbose explanations on stderr.

Bars are drawn only when asked *and* the stream is a terminal, so pipes, files and CI logs stay clean;
verbose lines are written whenever ``verbose=True`` (they are what the user asked to read).
"""

from __future__ import annotations

import sys
from contextlib import contextmanager

__all__ = ["Progress"]


class _NullBar:
    def update(self, n: int = 1) -> None:
        pass


class Progress:
    """Progress bars and verbose lines for the report's steps.

    Parameters
    ----------
    enabled : bool
        Draw bars (still only when ``stream`` is a TTY).
    verbose : bool
        Write explanation lines (:meth:`say`).
    stream : file-like, optional
        Default ``sys.stderr``.
    """

    def __init__(self, enabled: bool = False, verbose: bool = False, stream=None):
        self.stream = stream if stream is not None else sys.stderr
        isatty = getattr(self.stream, "isatty", None)
        self.bars = bool(enabled) and bool(isatty and isatty())
        self.verbose = bool(verbose)

    def say(self, message: str) -> None:
        """One explanation line (``--verbose``)."""
        if self.verbose:
            self.stream.write(message.rstrip("\n") + "\n")
            self.stream.flush()

    @contextmanager
    def bar(self, label: str, total: int):
        """A progress bar over ``total`` items (a no-op when bars are off)."""
        if not self.bars or total <= 0:
            yield _NullBar()
            return
        try:
            from tqdm import tqdm
        except ImportError:  # pragma: no cover - tqdm is a dependency of the report; degrade to no bar
            yield _NullBar()
            return
        with tqdm(total=total, desc=label, file=self.stream, leave=False, unit="task",
                  dynamic_ncols=True) as t:
            yield t
