"""Reading tables (CSV, TSV, Parquet, stdin) with clear errors, and writing files atomically.

Every problem with an input file is raised as :class:`InvalidTableError` with a message that names the
file, says what was expected and what was found (with line numbers where a line is at fault), and how to
fix it. The input is only ever read.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import sys
import tempfile
from dataclasses import dataclass, field

import numpy as np

from ..exceptions import InfokitError

__all__ = ["InvalidTableError", "Table", "load_table", "atomic_write", "as_table"]

_MAX_LISTED = 5  # offending lines named in a message before "..."
_PARQUET_MAGIC = b"PAR1"
_EXT_SEP = {".csv": ",", ".tsv": "\t", ".tab": "\t", ".txt": None}


class InvalidTableError(InfokitError, ValueError):
    """A data table cannot be read or analysed (unreadable file, ragged rows, unknown column, ...)."""


@dataclass
class Table:
    """A loaded table and where it came from.

    Attributes
    ----------
    frame : pandas.DataFrame
        The data; never modified by infokit.
    source : str
        The path as given (``"-"`` for stdin, ``"<DataFrame>"`` for an in-memory frame, ``"demo: ..."``).
    format : str
        ``"csv"``, ``"tsv"``, ``"parquet"`` or ``"frame"``.
    sha256 : str or None
        Digest of the bytes read (None for an in-memory frame).
    n_bytes : int or None
    record_lines : numpy.ndarray or None
        For text files, the 1-based file line on which each data row starts (header excluded), so that
        messages can point at a line; None when unknown (Parquet, frames).
    """

    frame: object
    source: str
    format: str = "frame"
    sha256: str | None = None
    n_bytes: int | None = None
    record_lines: np.ndarray | None = field(default=None, repr=False)

    @property
    def columns(self) -> list:
        return [str(c) for c in self.frame.columns]

    @property
    def n_rows(self) -> int:
        return int(len(self.frame))

    def where(self, row: int) -> str:
        """Human-readable position of data row ``row`` (0-based): 'line 7' for text files, else 'row 5'."""
        if self.record_lines is not None and 0 <= row < len(self.record_lines):
            return f"line {int(self.record_lines[row])}"
        return f"row {row + 1}"


def _pandas():
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - pandas is a dependency of the report
        raise InvalidTableError(
            "reading tables needs pandas, which is not installed; install it with `pip install pandas`"
        ) from exc
    return pd


def _listed(items) -> str:
    items = list(items)
    s = ", ".join(str(i) for i in items[:_MAX_LISTED])
    return s + (f", ... ({len(items)} in all)" if len(items) > _MAX_LISTED else "")


# --------------------------------------------------------------------------------------------- reading bytes
def _read_bytes(path: str, stdin=None) -> bytes:
    if path == "-":
        stream = stdin if stdin is not None else sys.stdin
        buf = getattr(stream, "buffer", stream)
        data = buf.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        return data
    if not os.path.exists(path):
        parent = os.path.dirname(os.path.abspath(path))
        hint = ""
        if os.path.isdir(parent):
            import difflib

            near = difflib.get_close_matches(os.path.basename(path), os.listdir(parent), n=3, cutoff=0.6)
            if near:
                hint = f"; did you mean {', '.join(repr(os.path.join(os.path.dirname(path), n)) for n in near)}?"
        raise InvalidTableError(f"cannot read `{path}`: no such file{hint}")
    if os.path.isdir(path):
        raise InvalidTableError(f"cannot read `{path}`: it is a directory; pass a CSV, TSV or Parquet file")
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except PermissionError:
        raise InvalidTableError(f"cannot read `{path}`: permission denied; check the file's permissions") from None
    except OSError as exc:
        raise InvalidTableError(f"cannot read `{path}`: {exc.strerror or exc}") from None
    if path.endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise InvalidTableError(f"cannot read `{path}`: not a valid gzip file ({exc})") from None
    return data


def _decode(data: bytes, source: str, encoding: str) -> str:
    """Decode, pointing at the first undecodable byte by line and column."""
    if data.startswith(b"\xef\xbb\xbf") and encoding.replace("-", "").lower() == "utf8":
        data = data[3:]  # a UTF-8 byte-order mark is not part of the first column's name
    try:
        return data.decode(encoding)
    except LookupError:
        raise InvalidTableError(
            f"`encoding` must be a text encoding Python knows (e.g. 'utf-8', 'latin-1'); got {encoding!r}"
        ) from None
    except UnicodeDecodeError as exc:
        start = exc.start
        line = data.count(b"\n", 0, start) + 1
        col = start - (data.rfind(b"\n", 0, start) + 1) + 1
        bad = data[start:start + 1].hex()
        raise InvalidTableError(
            f"`{source}` is not valid {encoding} text: byte 0x{bad} at line {line}, column {col} cannot be "
            f"decoded; re-save the file as UTF-8, or pass its encoding (e.g. --encoding latin-1 / "
            f"encoding='latin-1')"
        ) from None


# --------------------------------------------------------------------------------------------- structure
def _line_spans(data: bytes):
    """Start/end byte offsets of every line (end excludes the newline and a trailing carriage return)."""
    a = np.frombuffer(data, dtype=np.uint8)
    nl = np.flatnonzero(a == 10)
    starts = np.concatenate(([0], nl + 1))
    ends = np.concatenate((nl, [a.size]))
    if starts.size and starts[-1] == a.size:  # the file ends with a newline: no last empty line
        starts, ends = starts[:-1], ends[:-1]
    cr = np.zeros(ends.size, dtype=bool)
    has = ends > starts
    cr[has] = a[ends[has] - 1] == 13
    ends = ends - cr
    return a, starts, ends


def _field_counts(data: bytes, text: str, sep: str):
    """(fields per record, 1-based start line per record) skipping blank lines, as pandas does.

    Files without a quote character are scanned with numpy (fast); otherwise with the csv module, which
    understands quoted separators and newlines.
    """
    if b'"' not in data and len(sep) == 1:
        a, starts, ends = _line_spans(data)
        nonblank = ends > starts
        seps = np.flatnonzero(a == ord(sep))
        counts = np.searchsorted(seps, ends) - np.searchsorted(seps, starts) + 1
        lines = np.flatnonzero(nonblank) + 1
        return counts[nonblank], lines
    import csv

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    counts, lines = [], []
    prev_end = 0
    try:
        for rec in reader:
            start = prev_end + 1
            prev_end = reader.line_num
            if not rec or (len(rec) == 1 and rec[0] == ""):
                continue
            counts.append(len(rec))
            lines.append(start)
    except csv.Error as exc:
        raise InvalidTableError(f"the table is not valid CSV near line {reader.line_num}: {exc}") from None
    return np.asarray(counts, dtype=np.int64), np.asarray(lines, dtype=np.int64)


def _check_structure(source: str, data: bytes, text: str, sep: str):
    counts, lines = _field_counts(data, text, sep)
    if counts.size == 0:
        raise InvalidTableError(f"`{source}` is empty: expected a header line and at least one data row")
    if counts.size == 1:
        raise InvalidTableError(f"`{source}` has a header line but no data rows; expected at least one data row")
    want = int(counts[0])
    bad = np.flatnonzero(counts[1:] != want) + 1
    if bad.size:
        what = _listed(f"line {int(lines[i])} has {int(counts[i])}" for i in bad)
        sep_name = {",": "comma", "\t": "tab", ";": "semicolon"}.get(sep, repr(sep))
        hint = ""
        if want == 1 and sep == ",":
            hint = " (a one-column header: is the file tab- or semicolon-separated? pass --sep)"
        raise InvalidTableError(
            f"`{source}` has ragged rows: the header has {want} {sep_name}-separated field(s), but {what}; "
            f"every row must have {want} fields{hint} — fix those lines (quote fields that contain "
            f"the separator)"
        )
    return lines[1:]


def _raw_header(text: str, sep: str) -> list:
    """The header's field names as written (pandas renames duplicates to 'a.1' and empty ones to 'Unnamed')."""
    import csv

    for rec in csv.reader(io.StringIO(text, newline=""), delimiter=sep):
        if rec and rec != [""]:
            return [f.strip() for f in rec]
    return []  # pragma: no cover - _check_structure has refused an empty file


def _check_header(source: str, frame_columns):
    seen = {}
    for j, c in enumerate(frame_columns):
        c = str(c)
        if c.strip() == "" or c.startswith("Unnamed: "):
            raise InvalidTableError(
                f"`{source}`: column {j + 1} has no name in the header line; every column needs a name"
            )
        if c in seen:
            raise InvalidTableError(
                f"`{source}`: the column name {c!r} appears twice (columns {seen[c] + 1} and {j + 1}); "
                "column names must be unique — rename one of them"
            )
        seen[c] = j


def _guess_format(path: str, data: bytes, sep) -> str:
    low = path.lower()
    if low.endswith((".parquet", ".pq", ".parq")) or data[:4] == _PARQUET_MAGIC:
        return "parquet"
    if sep is not None:
        return "tsv" if sep == "\t" else "csv"
    base = low[:-3] if low.endswith(".gz") else low
    ext = os.path.splitext(base)[1]
    if ext in (".tsv", ".tab"):
        return "tsv"
    return "csv"


def load_table(path, *, sep: str | None = None, encoding: str = "utf-8", stdin=None) -> Table:
    """Read a CSV, TSV or Parquet file (or CSV from stdin with ``"-"``) into a :class:`Table`.

    Parameters
    ----------
    path : str or os.PathLike
        The file; ``"-"`` reads CSV text from standard input. ``.tsv`` / ``.tab`` files are tab-separated,
        ``.parquet`` / ``.pq`` (or any file starting with Parquet's magic bytes) are Parquet; ``.gz``
        text files are decompressed.
    sep : str, optional
        Field separator of a text file (default: from the extension; ``","`` otherwise).
    encoding : str
        Text encoding (default UTF-8; a UTF-8 byte-order mark is accepted).
    stdin : file-like, optional
        Stream read for ``"-"`` (default ``sys.stdin``); for tests.

    Returns
    -------
    Table

    Raises
    ------
    InvalidTableError
        Missing / unreadable file, undecodable text (with line and column), ragged rows (with line numbers),
        an empty file, a header with empty or duplicated names, an unreadable Parquet file.

    Notes
    -----
    Missing values are the empty field and pandas' defaults (``NA``, ``N/A``, ``NaN``, ``null``, ``None``,
    ...). The file is opened read-only and never modified.
    """
    path = os.fspath(path)
    pd = _pandas()
    data = _read_bytes(path, stdin=stdin)
    source = "<stdin>" if path == "-" else path
    fmt = _guess_format(path, data, sep)
    digest = hashlib.sha256(data).hexdigest()
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401  (pandas reads Parquet through it; checked first for a clear message)
        except ImportError:
            raise InvalidTableError(
                f"reading the Parquet file `{source}` needs pyarrow; install it with `pip install pyarrow`, "
                "or convert the file to CSV"
            ) from None
        try:
            frame = pd.read_parquet(io.BytesIO(data))
        except Exception as exc:  # pyarrow raises many types for a corrupt file
            raise InvalidTableError(
                f"cannot read `{source}` as Parquet: {type(exc).__name__}: {str(exc)[:200]}"
            ) from None
        _check_header(source, frame.columns)
        if len(frame) == 0:
            raise InvalidTableError(f"`{source}` has no rows; expected at least one data row")
        return Table(frame, source, "parquet", digest, len(data), None)
    if b"\x00" in data[:65536]:
        raise InvalidTableError(
            f"`{source}` is not a text table: it contains NUL bytes (a binary file?); pass a CSV / TSV file, "
            "or a Parquet file with a .parquet extension"
        )
    if sep is None:
        sep = "\t" if fmt == "tsv" else ","
    if not isinstance(sep, str) or len(sep) != 1 or sep in "\"\r\n":
        raise InvalidTableError(f"`sep` must be one character other than a quote or newline; got {sep!r}")
    text = _decode(data, source, encoding)
    raw = text.encode("utf-8") if encoding.replace("-", "").lower() != "utf8" else (
        data[3:] if data.startswith(b"\xef\xbb\xbf") else data)
    record_lines = _check_structure(source, raw, text, sep)
    _check_header(source, _raw_header(text, sep))
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, engine="c", low_memory=False)
    except pd.errors.ParserError as exc:  # pragma: no cover - _check_structure catches ragged rows first
        raise InvalidTableError(f"cannot parse `{source}`: {str(exc).strip()}") from None
    except pd.errors.EmptyDataError:  # pragma: no cover - caught by _check_structure
        raise InvalidTableError(f"`{source}` is empty: expected a header line and data rows") from None
    _check_header(source, frame.columns)
    if len(record_lines) != len(frame):  # pragma: no cover - defensive: keep line numbers only when aligned
        record_lines = None
    return Table(frame, source, fmt, digest, len(data), record_lines)


def as_table(data, *, sep=None, encoding="utf-8") -> Table:
    """A :class:`Table` from a path, a Table, a pandas / polars DataFrame or a dict of columns."""
    if isinstance(data, Table):
        return data
    if isinstance(data, (str, os.PathLike)):
        return load_table(data, sep=sep, encoding=encoding)
    pd = _pandas()
    if isinstance(data, pd.DataFrame):
        if not all(isinstance(c, str) for c in data.columns):
            data = data.rename(columns=str)  # a new frame: the caller's keeps its labels
        _check_header("<DataFrame>", data.columns)
        if len(data) == 0:
            raise InvalidTableError("`data` has no rows; expected at least one row")
        return Table(data, "<DataFrame>", "frame")
    if hasattr(data, "to_pandas") and type(data).__module__.startswith("polars"):
        return as_table(data.to_pandas())
    if isinstance(data, dict):
        try:
            frame = pd.DataFrame(data)
        except ValueError as exc:
            raise InvalidTableError(f"`data` as a dict must hold columns of equal length; {exc}") from None
        return as_table(frame)
    raise InvalidTableError(
        f"`data` must be a path, a pandas / polars DataFrame, a dict of columns or a Table; "
        f"got {type(data).__name__}"
    )


# --------------------------------------------------------------------------------------------- writing
def _file_mode(path: str) -> int:
    """The mode of the file being replaced, else what open() would create (0o666 minus the umask)."""
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def atomic_write(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: a temporary file in the same folder, fsync, then os.replace.

    A failure at any point leaves an existing file at ``path`` untouched and removes the temporary file.
    """
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    try:
        os.chmod(tmp, _file_mode(path))
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
