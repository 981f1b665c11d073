"""scripts/matrix_python.py and test_matrix.py: which Python each ansible-core release's venv is made with."""
import os
import stat
import sys

import pytest

from tests.conftest import REPO

sys.path.insert(0, os.path.join(REPO, "scripts"))
import matrix_python  # noqa: E402
import test_matrix  # noqa: E402


def script(path, body):
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def test_a_shim_that_exists_but_fails_is_not_a_python(tmp_path):
    shim = script(tmp_path / "python3.13", 'echo "pyenv: python3.13: command not found" >&2; exit 127')
    assert matrix_python.probe(shim) is None
    old = script(tmp_path / "python3.11", 'echo 3.11')
    assert matrix_python.probe(old) is None  # too old for ansible-core 2.20+
    assert matrix_python.probe(str(tmp_path / "missing")) is None


def test_a_working_python_3_12_or_later_is_taken(tmp_path, monkeypatch):
    fake = script(tmp_path / "python3.13", "echo 3.13")
    monkeypatch.setenv("GENESYS_MATRIX_PYTHON", fake)
    assert matrix_python.find() == fake
    monkeypatch.setenv("GENESYS_MATRIX_PYTHON", script(tmp_path / "broken", "exit 1"))
    with pytest.raises(SystemExit) as refused:
        matrix_python.find()
    assert "is not a working Python >= 3.12" in str(refused.value)


def test_the_dsc_checksum_of_the_tarball_is_read_and_checked(tmp_path):
    tarball = tmp_path / "python3.13_3.13.5.orig.tar.xz"
    tarball.write_bytes(b"upstream source")
    digest = matrix_python.sha256(str(tarball))
    (tmp_path / "python3.13_3.13.5-2.dsc").write_text(
        "Format: 3.0 (quilt)\nSource: python3.13\nChecksums-Sha256:\n %s 15 python3.13_3.13.5.orig.tar.xz\n"
        " %s 300 python3.13_3.13.5-2.debian.tar.xz\nFiles:\n abc 15 python3.13_3.13.5.orig.tar.xz\n" % (digest, "0" * 64))
    sums = matrix_python.dsc_sha256(str(tmp_path / "python3.13_3.13.5-2.dsc"))
    assert sums == {"python3.13_3.13.5.orig.tar.xz": digest, "python3.13_3.13.5-2.debian.tar.xz": "0" * 64}


def test_2_20_and_later_get_the_python_3_12_plus_the_older_ones_this_python(monkeypatch):
    calls = []
    monkeypatch.setattr(test_matrix.subprocess, "run", lambda *args, **kwargs: calls.append(args[0]) or type(
        "Done", (), {"stdout": "/opt/python3.13/bin/python3.13\n"})())
    assert test_matrix.interpreter("2.16") == getattr(sys, "_base_executable", sys.executable)
    assert test_matrix.interpreter("2.19") == getattr(sys, "_base_executable", sys.executable)
    assert calls == []
    assert test_matrix.interpreter("2.21") == "/opt/python3.13/bin/python3.13"
    assert calls and calls[0][-1].endswith("matrix_python.py")


def test_the_matrix_covers_2_16_to_2_21():
    assert test_matrix.versions() == ["2.16", "2.17", "2.18", "2.19", "2.20", "2.21"]
