"""Reading tables: CSV / TSV / Parquet / stdin / gzip, and a clear message for every bad input."""

from __future__ import annotations

import gzip
import hashlib
import io
import os

import numpy as np
import pytest

from infokit.exceptions import InfokitError
from infokit.report import InvalidTableError, Table, atomic_write, load_table

pd = pytest.importorskip("pandas")


def write(tmp_path, name, content, mode="w"):
    path = tmp_path / name
    if mode == "wb":
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def test_csv_is_read_with_types_and_line_numbers(tmp_path):
    path = write(tmp_path, "t.csv", "a,b,c\n1,x,0.5\n\n2,y,\n3,z,1.5\n")
    t = load_table(path)
    assert isinstance(t, Table) and t.format == "csv"
    assert t.columns == ["a", "b", "c"] and t.n_rows == 3
    assert t.frame["a"].tolist() == [1, 2, 3]
    assert t.frame["c"].isna().tolist() == [False, True, False]
    # data rows start on lines 2, 4 (line 3 is blank and skipped, as pandas does) and 5
    assert t.record_lines.tolist() == [2, 4, 5]
    assert t.where(1) == "line 4"
    assert t.sha256 == hashlib.sha256(open(path, "rb").read()).hexdigest()


def test_tsv_extension_selects_the_tab_separator(tmp_path):
    path = write(tmp_path, "t.tsv", "a\tb\n1\tx y\n2\tz\n")
    t = load_table(path)
    assert t.format == "tsv" and t.frame["b"].tolist() == ["x y", "z"]


def test_explicit_separator_and_crlf_line_endings(tmp_path):
    p = tmp_path / "t.txt"
    p.write_bytes(b"a;b\r\n1;2\r\n3;4\r\n")
    t = load_table(str(p), sep=";")
    assert t.frame.to_dict("list") == {"a": [1, 3], "b": [2, 4]}


def test_quoted_fields_with_separators_and_newlines_are_one_field(tmp_path):
    path = write(tmp_path, "q.csv", 'a,b\n1,"x, y"\n2,"multi\nline"\n3,z\n')
    t = load_table(path)
    assert t.frame["b"].tolist() == ["x, y", "multi\nline", "z"]
    assert t.record_lines.tolist() == [2, 3, 5]  # the quoted newline spans lines 3-4


def test_stdin_dash_reads_csv(tmp_path):
    stream = io.BytesIO(b"a,b\n1,2\n3,4\n")
    t = load_table("-", stdin=stream)
    assert t.source == "<stdin>" and t.frame["b"].tolist() == [2, 4]


def test_gzip_and_utf8_bom_are_accepted(tmp_path):
    p = tmp_path / "t.csv.gz"
    p.write_bytes(gzip.compress("\ufeffname,v\nä,1\nö,2\n".encode("utf-8")))
    t = load_table(str(p))
    assert t.columns == ["name", "v"]  # the byte-order mark is not part of the first name
    assert t.frame["name"].tolist() == ["ä", "ö"]


def test_parquet_round_trip(tmp_path):
    pytest.importorskip("pyarrow")
    df = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", None], "c": [0.5, np.nan, 1.0]})
    path = tmp_path / "t.parquet"
    df.to_parquet(path)
    t = load_table(str(path))
    assert t.format == "parquet" and t.record_lines is None and t.where(2) == "row 3"
    pd.testing.assert_frame_equal(t.frame, df)


def test_latin1_file_reads_with_its_encoding(tmp_path):
    path = write(tmp_path, "l.csv", "a,b\n1,café\n".encode("latin-1"), mode="wb")
    assert load_table(path, encoding="latin-1").frame["b"].tolist() == ["café"]


# --------------------------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("content, fragment", [
    ("a,b,c\n1,2,3\n4,5\n6,7,8,9\n", r"header has 3 comma-separated field\(s\), but line 3 has 2, line 4 has 4"),
    ('a,b\n"1,2",3\n4\n', r"but line 3 has 1"),  # the quoted path (csv module) reports lines too
    ("", r"is empty: expected a header line"),
    ("a,b\n", r"has a header line but no data rows"),
    ("a,a\n1,2\n", r"the column name 'a' appears twice \(columns 1 and 2\)"),
    ("a,,c\n1,2,3\n", r"column 2 has no name"),
])
def test_malformed_csv_gets_a_clear_message(tmp_path, content, fragment):
    path = write(tmp_path, "bad.csv", content)
    with pytest.raises(InvalidTableError, match=fragment):
        load_table(path)


def test_ragged_rows_list_at_most_five_lines_then_count(tmp_path):
    rows = ["a,b"] + ["1"] * 8
    path = write(tmp_path, "r.csv", "\n".join(rows) + "\n")
    with pytest.raises(InvalidTableError, match=r"line 2 has 1, .*line 6 has 1, \.\.\. \(8 in all\)"):
        load_table(path)


def test_non_utf8_text_names_the_line_and_column_and_the_fix(tmp_path):
    path = write(tmp_path, "l.csv", "a,b\n1,ok\n2,caf".encode() + b"\xe9\n", mode="wb")
    with pytest.raises(InvalidTableError, match=r"byte 0xe9 at line 3, column 6 .*--encoding latin-1"):
        load_table(path)


def test_missing_file_suggests_close_names(tmp_path):
    write(tmp_path, "sales.csv", "a\n1\n")
    with pytest.raises(InvalidTableError, match=r"no such file; did you mean .*sales\.csv"):
        load_table(str(tmp_path / "sales.cvs"))


def test_directory_binary_and_unknown_encoding_are_refused(tmp_path):
    with pytest.raises(InvalidTableError, match="it is a directory"):
        load_table(str(tmp_path))
    binary = write(tmp_path, "x.csv", b"a,b\n\x00\x01\n", mode="wb")
    with pytest.raises(InvalidTableError, match="NUL bytes"):
        load_table(binary)
    ok = write(tmp_path, "ok.csv", "a\n1\n")
    with pytest.raises(InvalidTableError, match="`encoding` must be a text encoding"):
        load_table(ok, encoding="no-such-codec")


def test_corrupt_parquet_is_a_clear_error(tmp_path):
    pytest.importorskip("pyarrow")
    path = write(tmp_path, "c.parquet", b"PAR1 this is not parquet", mode="wb")
    with pytest.raises(InvalidTableError, match="cannot read .* as Parquet"):
        load_table(path)


def test_unreadable_file_is_refused_without_a_traceback(tmp_path, monkeypatch):
    import builtins

    import infokit.report._io as io_mod

    path = write(tmp_path, "p.csv", "a\n1\n")

    def denied(file, *a, **kw):  # what open() raises on a file without read permission (root reads anyway)
        if str(file) == path:
            raise PermissionError(13, "Permission denied", path)
        return builtins.open(file, *a, **kw)

    monkeypatch.setattr(io_mod, "open", denied, raising=False)
    with pytest.raises(InvalidTableError, match="permission denied; check the file's permissions"):
        load_table(path)


def test_errors_are_infokit_errors_and_value_errors():
    assert issubclass(InvalidTableError, InfokitError) and issubclass(InvalidTableError, ValueError)


def test_loading_never_modifies_the_input_file(tmp_path):
    path = write(tmp_path, "t.csv", "a,b\n1,2\n3,x\n")
    before = (open(path, "rb").read(), os.stat(path).st_mtime_ns)
    load_table(path)
    assert (open(path, "rb").read(), os.stat(path).st_mtime_ns) == before


# --------------------------------------------------------------------------------------------- atomic writes
def test_atomic_write_replaces_the_file_whole(tmp_path):
    path = str(tmp_path / "r.json")
    atomic_write(path, b"old")
    atomic_write(path, b"new contents")
    assert open(path, "rb").read() == b"new contents"
    assert os.listdir(tmp_path) == ["r.json"]  # no temporary file left


def test_failure_mid_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = str(tmp_path / "r.json")
    atomic_write(path, b"old report")

    class Boom(OSError):
        pass

    real_fdopen = os.fdopen

    class HalfWriter:
        """Writes the first half, then the disk 'fills up'."""

        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()
            return False

        def write(self, data):
            self.fh.write(data[: len(data) // 2])
            raise Boom("No space left on device")

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: HalfWriter(real_fdopen(fd, mode)))
    with pytest.raises(Boom):
        atomic_write(path, b"a new report that never lands")
    monkeypatch.undo()
    assert open(path, "rb").read() == b"old report"
    assert os.listdir(tmp_path) == ["r.json"]
