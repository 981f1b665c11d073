"""One place that writes a benchmark's section into docs/benchmark.md.

docs/benchmark.md holds the sections of several benchmarks (records, org runs, task cost); each
lives between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->`` and a benchmark replaces only its
own. Sections are built by concatenation, never %-formatting, so prose may hold any character.
"""
import os


def markers(name):
    return "<!-- %s:start -->" % name, "<!-- %s:end -->" % name


def write_section(path, name, section):
    """Replace section ``name`` of ``path`` with ``section``, keeping the rest of the file.

    A file without the section gets it appended; a missing file is created with a title.
    """
    start, end = markers(name)
    text = open(path, encoding="utf-8").read() if os.path.exists(path) else "# Benchmarks\n"
    block = start + "\n" + section.strip("\n") + "\n" + end
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
