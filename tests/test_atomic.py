import os

import pytest

from mediamon.util.atomic import atomic_open, write_bytes, write_text


def test_write_replaces_whole_file_and_sets_mode(tmp_path):
    p = tmp_path / "d" / "f.json"
    write_text(p, "one")
    write_text(p, "two")
    assert p.read_text() == "two" and oct(p.stat().st_mode & 0o777) == "0o644"
    write_bytes(p, b"\x00\x01", perm=0o600)
    assert p.read_bytes() == b"\x00\x01" and oct(p.stat().st_mode & 0o777) == "0o600"
    assert sorted(os.listdir(p.parent)) == ["f.json"]  # no temporary file left


def test_failure_keeps_old_file_and_leaves_no_temp(tmp_path):
    p = tmp_path / "f.txt"
    write_text(p, "old")
    with pytest.raises(RuntimeError), atomic_open(p) as f:
        f.write("half")
        raise RuntimeError("crash mid-write")
    assert p.read_text() == "old" and os.listdir(tmp_path) == ["f.txt"]
    with pytest.raises(ValueError, match="mode"), atomic_open(p, "a"):
        pass
