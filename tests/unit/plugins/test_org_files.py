"""The untrusted-file reader (plugin_utils/org_files.py): the cheap depth bound is a real bound, values are cut."""
import hashlib
import os

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.genesys.cloud.plugins.plugin_utils import org_files as of

scalars = st.one_of(st.integers(), st.booleans(), st.text(alphabet="ab -:?[]{}#*&'\"", max_size=6))
documents = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, min_size=1, max_size=3), st.dictionaries(st.text("abc", min_size=1, max_size=3), inner,
                                                             min_size=1, max_size=3)), max_leaves=40)


def depth(value):
    if isinstance(value, dict):
        return 1 + max(depth(v) for v in value.values())
    if isinstance(value, list):
        return 1 + max(depth(v) for v in value)
    return 0


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(documents, st.sampled_from([None, True, False]), st.integers(1, 6))
def test_the_depth_bound_is_never_below_the_real_depth(document, flow, indent):
    text = yaml.safe_dump(document, default_flow_style=flow, indent=max(indent, 2))
    assert depth(yaml.safe_load(text)) <= of.depth_bound(text)


def test_compact_and_deep_block_nesting_is_refused_before_it_is_built():
    for text in ("- " * 100 + "x\n", "".join(" " * i + "k%d:\n" % i for i in range(100)) + " " * 100 + "v\n"):
        try:
            of.parse_yaml("deep.yml", text)
        except of.FileProblem as exc:
            assert "nested more than 64 levels deep" in str(exc)
        else:
            raise AssertionError("accepted")


def test_shorten_keeps_a_prefix_and_says_how_long_the_value_was():
    assert of.shorten("x" * 80) == "x" * 80
    assert of.shorten("x" * 5000000) == "x" * 80 + "... (5000000 characters in all)"
    assert of.shorten(["y" * 100]).startswith("['yyy") and of.shorten(["y" * 100]).endswith("(104 characters in all)")


def test_a_file_at_exactly_the_limit_is_read_and_one_byte_more_is_refused(tmp_path):
    limit = of.LIMITS["schemas"]
    at_limit, over = tmp_path / "at.yml", tmp_path / "over.yml"
    at_limit.write_bytes(b"name: a\n" + b"#" * (limit - 9) + b"\n")
    over.write_bytes(b"name: a\n" + b"#" * (limit - 8) + b"\n")
    assert len(of.read_text(str(at_limit), "schemas")) == limit
    assert of.read_yaml(str(at_limit), "schemas") == {"name": "a"}
    with pytest.raises(of.FileProblem) as refused:
        of.read_text(str(over), "schemas")
    assert str(refused.value) == "%s: %d bytes, more than the limit of %d for a schema file; split it" % (
        over, limit + 1, limit)


def test_a_file_that_grows_after_its_size_was_checked_is_read_whole_up_to_the_limit(tmp_path, monkeypatch):
    """The read asks for the size seen plus one byte; a file larger by then is read on, and the limit holds."""
    monkeypatch.setitem(of.LIMITS, "schemas", 64)
    monkeypatch.setattr(of, "check_size", lambda path, kind, size: 3)  # as if it was 3 bytes when checked
    grown, huge = tmp_path / "grown.yml", tmp_path / "huge.yml"
    grown.write_text("name: a\n" + "#" * 56)  # 64 bytes: at the limit
    huge.write_text("name: a\n" + "#" * 57)
    assert of.read_text(str(grown), "schemas") == "name: a\n" + "#" * 56
    with pytest.raises(of.FileProblem) as refused:
        of.read_text(str(huge), "schemas")
    assert str(refused.value) == "%s: more than the limit of 64 bytes for a schema file" % huge


def test_an_empty_file_and_a_short_one_read_as_they_are(tmp_path):
    empty, short = tmp_path / "empty.yml", tmp_path / "short.yml"
    empty.write_bytes(b"")
    short.write_bytes(b"\xef\xbb\xbfname: b\n")
    assert of.read_text(str(empty), "webhooks") == ""
    assert of.read_text(str(short), "webhooks") == "name: b\n"


def test_list_folder_refuses_links_that_leave_the_roots_and_keeps_the_rest(tmp_path):
    org, outside = tmp_path / "org", tmp_path / "outside"
    (org / "schemas").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.yml").write_text("name: secret\n")
    (org / "schemas" / "plain.yml").write_text("name: plain\n")
    (org / "schemas" / "inner.yml").symlink_to(org / "schemas" / "plain.yml")
    (org / "schemas" / "leak.yml").symlink_to(outside / "secret.yml")
    (org / "webhooks").symlink_to(outside)
    roots = [str(org.resolve())]
    paths, problems = of.list_folder(str(org / "schemas"), "schemas", roots)
    assert paths == [str(org / "schemas" / "inner.yml"), str(org / "schemas" / "plain.yml")]
    assert problems == ["%s: a symbolic link to a place outside the org directory (and its bases); nothing outside "
                        "them is read. Replace the link with the file itself" % (org / "schemas" / "leak.yml")]
    paths, problems = of.list_folder(str(org / "webhooks"), "webhooks", roots)
    assert paths == [] and problems == [
        "%s: a symbolic link to a place outside the org directory (and its bases); nothing outside them is read. "
        "Replace the link with the directory itself" % (org / "webhooks")]
    assert of.entry_problem(str(org / "webhooks" / "secret.yml"), roots) == (
        "%s: reached through a symbolic link to a place outside the org directory (and its bases); nothing outside "
        "them is read" % (org / "webhooks" / "secret.yml"))


def test_only_regular_files_are_opened_and_a_fifo_or_device_is_refused_without_waiting(tmp_path):
    fifo, text = tmp_path / "pipe.yml", tmp_path / "plain.yml"
    os.mkfifo(str(fifo))  # no writer: an ordinary open would wait forever
    text.write_text("name: plain\n")
    (tmp_path / "zero.yml").symlink_to("/dev/zero")
    for path in (fifo, tmp_path / "zero.yml"):
        with pytest.raises(of.FileProblem) as refused:
            of.read_text(str(path), "schemas")
        assert str(refused.value) == "%s: not a regular file (a device, pipe or socket); org files are plain files" % path
    with pytest.raises(of.FileProblem) as refused:  # with roots, a link that leaves them is refused before it is opened
        of.read_text(str(tmp_path / "zero.yml"), "schemas", roots=[str(tmp_path)])
    assert "zero.yml: a symbolic link to a place outside the org directory" in str(refused.value)
    log = of.ReadLog(str(tmp_path))
    assert of.read_yaml(str(text), "schemas", [str(tmp_path)], log) == {"name": "plain"}
    log.streamed(str(fifo))
    digests = log.digests()
    assert digests["plain.yml"] == hashlib.sha256(b"name: plain\n").hexdigest()
    assert digests["pipe.yml"].startswith("unreadable: %s: not a regular file" % fifo)
