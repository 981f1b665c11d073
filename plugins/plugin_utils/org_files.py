# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading an org directory as untrusted input (a pull request's author controls it).

* Nothing outside the org directory and its bases (the *roots*, all inside the org root: ``org_tree``)
  is read: a symbolic link (or a folder reached through one) whose target lies elsewhere, or in a
  ``.git`` folder, is refused, naming the link and never its target or content. A link is resolved
  once, checked, and its target opened without following links again. A broken link, a directory
  where a file belongs: each refused, naming the file.
* Only regular files are opened: a file is opened non-blocking and without following a link, and
  checked (``fstat``) before a byte is read, so a FIFO, device or socket is refused, never waited on.
* Each kind of file has a size limit, checked before a byte is parsed (``LIMITS``).
* Every file a load reads is recorded with a digest of its bytes (:class:`ReadLog`): a saved plan's
  basis covers exactly what the load read.
* Text must be UTF-8; YAML aliases (``*name``, also ``<<: *name``) are refused, so a few hundred
  bytes cannot expand to gigabytes.
* A folder's files are matched by extension case-insensitively; any other file is an error naming
  it (hidden files and README files excepted), never silently skipped.
* Every value echoed in a message is cut to a short prefix (:func:`shorten`).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import hashlib
import os
import re
import stat

import yaml

from ansible_collections.genesys.cloud.plugins.module_utils.kinds import descriptor
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.descriptor import shorten  # noqa: F401 (of.shorten)
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.registry import KINDS

KIB = 1024
MIB = 1024 * KIB
# Limits per kind of file, in bytes (each kind declares its own, ``Kind.file_limits``). Streamed files
# (.csv, .json, .jsonl) are read record by record and never held in memory, so their limit is large; YAML
# files are parsed whole.
LIMITS = dict([("org.yml", 64 * KIB)] + [(name, limit[0]) for kind in KINDS for name, limit in kind.file_limits.items()])
LIMIT_NAMES = dict([("org.yml", "org.yml")]
                   + [(name, limit[1]) for kind in KINDS for name, limit in kind.file_limits.items()])
LIMIT_HINTS = dict((name, limit[2]) for kind in KINDS for name, limit in kind.file_limits.items() if len(limit) > 2)
LARGEST = max(LIMITS, key=LIMITS.get)  # a file read again for a message, or digested later, is read within it
YAML_SUFFIXES = descriptor.YAML_SUFFIXES
STREAM_SUFFIXES = descriptor.STREAM_SUFFIXES
SUFFIXES = dict((kind.name, kind.suffixes) for kind in KINDS)
MAX_DEPTH = 64

# libyaml's loader when PyYAML has it: ten times faster on an org of hundreds of files.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FileProblem(ValueError):
    """One file that cannot be read; the message names the file and the fix."""


def is_ignored(name):
    """Files an org folder may hold besides org files: hidden files (.gitkeep) and README files."""
    return name.startswith(".") or name.lower().split(".")[0] == "readme"


def inside(real, roots):
    return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def in_git_folder(real):
    """Whether ``real`` lies in a ``.git`` folder (a CI checkout keeps its credentials there)."""
    return ".git" in real.split(os.sep)


def leaves(real, roots):
    """Whether the real path of a link's target lies outside ``roots`` or in a ``.git`` folder."""
    return not inside(real, roots) or in_git_folder(real)


LINK_OUT = ("%s: a symbolic link to a place outside the org directory (and its bases); nothing outside them is "
            "read. Replace the link with the %s itself")
NOT_REGULAR = "%s: not a regular file (a device, pipe or socket); org files are plain files"


def entry_problem(path, roots, want="file", folder_inside=False):
    """Why ``path`` may not be read (``want`` is "file" or "directory"), or None.

    A link is followed only when its whole target lies inside one of ``roots``; the message names
    the link, never the target. ``folder_inside``: the folder holding ``path`` was just found to lie
    inside ``roots`` (:func:`list_folder`), so an entry that is no link lies inside too, and the walk of
    every folder on its way (``realpath``) is spared.
    """
    try:
        info = os.lstat(path)
    except OSError:
        return None if want == "directory" else "%s: does not exist" % path
    if stat.S_ISLNK(info.st_mode):
        if not os.path.exists(path):
            return "%s: a broken symbolic link (its target does not exist); replace it with the %s itself" % (path, want)
        if leaves(os.path.realpath(path), roots):
            return LINK_OUT % (path, want)
        info = os.stat(path)
    elif not folder_inside and not inside(os.path.realpath(path), roots):
        # a folder on the way is a link that leaves the roots
        return ("%s: reached through a symbolic link to a place outside the org directory (and its bases); "
                "nothing outside them is read" % path)
    if want == "directory":
        return None if stat.S_ISDIR(info.st_mode) else "%s: must be a directory, not a file" % path
    if stat.S_ISDIR(info.st_mode):
        return "%s: a directory where a file belongs; org files are not read from subfolders" % path
    if not stat.S_ISREG(info.st_mode):
        return NOT_REGULAR % path
    return None


# Control characters, and the lone surrogates that stand for bytes of a name that is not UTF-8.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")


def list_folder(directory, kind, roots):
    """``(paths, problems)``: the files of ``kind`` in ``directory`` (sorted), and every other entry named."""
    if not os.path.lexists(directory):
        return [], []
    problem = entry_problem(directory, roots, want="directory")
    if problem:
        return [], [problem]
    try:
        names = sorted(os.listdir(directory))
    except OSError as exc:
        return [], ["%s: cannot be listed (%s)" % (directory, exc.strerror or type(exc).__name__)]
    paths, problems = [], []
    suffixes = SUFFIXES[kind]
    for name in names:
        if is_ignored(name):
            continue
        path = os.path.join(directory, name)
        if _UNPRINTABLE.search(name):
            problems.append("%s: a file name that is not UTF-8 text or holds control characters; rename it"
                            % os.path.join(directory, shorten(repr(name)[1:-1])))
            continue
        if not name.lower().endswith(suffixes):
            problems.append("%s: not an org file (%s/ holds only %s files, plus README and hidden files); "
                            "rename or remove it" % (path, kind, ", ".join(suffixes)))
            continue
        problem = entry_problem(path, roots, folder_inside=True)
        if problem:
            problems.append(problem)
            continue
        paths.append(path)
    return paths, problems


def check_size(path, limit_kind, size):
    """``size`` (of ``path``, in bytes); a :class:`FileProblem` when it is over the limit of ``limit_kind``."""
    limit = LIMITS[limit_kind]
    if size > limit:
        raise FileProblem("%s: %d bytes, more than the limit of %d for %s; split it%s" % (
            path, size, limit, LIMIT_NAMES[limit_kind],
            LIMIT_HINTS.get(limit_kind, "")))
    return size


# Opening never waits (a FIFO with no writer) and never follows a link the checks did not see.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def open_regular(path, limit_kind, roots=None):
    """``(handle, size)`` of ``path``, a regular file within the limit of ``limit_kind``; else :class:`FileProblem`.

    A link is resolved once and, with ``roots``, must lead inside them (and not into a ``.git`` folder); its
    target is then opened with ``O_NOFOLLOW``. The file is opened non-blocking and checked with ``fstat``
    before a byte is read: a FIFO, device or socket is refused at once.
    """
    target = path
    if os.path.islink(path):
        target = os.path.realpath(path)
        if roots is not None and leaves(target, roots):
            raise FileProblem(LINK_OUT % (path, "file"))
    try:
        descriptor = os.open(target, _OPEN_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket
            raise FileProblem(NOT_REGULAR % path)
        if exc.errno == errno.ELOOP:
            raise FileProblem("%s: a symbolic link that changed while it was read; replace it with the file itself"
                              % path)
        raise FileProblem("%s: cannot be read (%s)" % (path, exc.strerror or type(exc).__name__))
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem(NOT_REGULAR % path)
        check_size(path, limit_kind, info.st_size)
        return os.fdopen(descriptor, "rb"), info.st_size
    except BaseException:
        os.close(descriptor)
        raise


def read_bytes(path, limit_kind, roots=None):
    """The bytes of a regular file (:func:`open_regular`), at most the limit of ``limit_kind``.

    The read asks for the size seen plus one byte, not for the limit: a buffer of the limit (megabytes) per
    file is what reading a thousand small files cost. A file that grew since is read on, up to the limit.
    """
    limit = LIMITS[limit_kind]
    handle, size = open_regular(path, limit_kind, roots)
    try:
        with handle:
            data = handle.read(min(size, limit) + 1)
            if size < len(data) <= limit:
                data += handle.read(limit + 1 - len(data))
    except OSError as exc:
        raise FileProblem("%s: cannot be read (%s)" % (path, exc.strerror or type(exc).__name__))
    if len(data) > limit:
        raise FileProblem("%s: more than the limit of %d bytes for %s" % (path, limit, LIMIT_NAMES[limit_kind]))
    return data


def decode(path, data):
    """Strict UTF-8 text of ``data`` (a leading BOM dropped); a NUL byte or other encodings refused."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise FileProblem("%s: line %d: not UTF-8 text (byte 0x%02x); save the file as UTF-8" % (
            path, line, data[exc.start]))
    if "\x00" in text:
        raise FileProblem("%s: line %d: a NUL byte; this is not a text file" % (
            path, text[:text.index("\x00")].count("\n") + 1))
    return text[1:] if text.startswith("\ufeff") else text


def read_text(path, limit_kind, roots=None, log=None):
    """The text of an org file: a regular file, size first, then strict UTF-8; recorded in ``log``."""
    data = read_bytes(path, limit_kind, roots)
    if log is not None:
        log.parsed(path, data)
    return decode(path, data)


def digest_file(path, limit_kind, roots=None):
    """sha256 (hex) of a regular file of at most the limit of ``limit_kind``, read in chunks."""
    digest = hashlib.sha256()
    handle, _size = open_regular(path, limit_kind, roots)
    left = LIMITS[limit_kind] + 1
    try:
        with handle:
            for chunk in iter(lambda: handle.read(min(1 << 20, left)), b""):
                digest.update(chunk)
                left -= len(chunk)
                if not left:
                    raise FileProblem("%s: more than the limit of %d bytes for %s" % (
                        path, LIMITS[limit_kind], LIMIT_NAMES[limit_kind]))
    except OSError as exc:
        raise FileProblem("%s: cannot be read (%s)" % (path, exc.strerror or type(exc).__name__))
    return digest.hexdigest()


class ReadLog:
    """Every file one load read, in read order, each named relative to the org directory with a digest.

    A parsed file's digest is of the bytes parsed; a streamed records file (read later, record by record,
    by the records logic) is recorded when it is checked and digested when first asked
    (:meth:`digests`), through :func:`digest_file`: never a file the load did not see.
    """

    def __init__(self, directory):
        self.directory = directory
        self._entries = []  # [label, path, limit_kind, roots, digest or None]
        self._digests = None

    def _label(self, path):
        return os.path.relpath(path, self.directory) if self.directory else path

    def parsed(self, path, data):
        self._entries.append([self._label(path), path, None, None, hashlib.sha256(data).hexdigest()])

    def streamed(self, path, limit_kind=LARGEST, roots=None, label=None):
        self._entries.append([label or self._label(path), path, limit_kind, roots, None])

    def digests(self):
        """``{label: sha256}`` of every file read (computed once; an unreadable file gets its problem)."""
        if self._digests is None:
            found = {}
            for label, path, limit_kind, roots, digest in self._entries:
                if digest is None:
                    try:
                        digest = digest_file(path, limit_kind, roots)
                    except FileProblem as exc:
                        digest = "unreadable: %s" % shorten(str(exc), 200)
                found[label] = digest
            self._digests = found
        return self._digests


_INDENTS = re.compile("^ +", re.M)


def depth_bound(text):
    """An upper bound of a YAML text's nesting depth, cheap to compute (so most files skip the event scan).

    Flow collections nest at most once per bracket; block collections at most twice per column of
    indentation (a sequence may sit at its mapping key's column) plus once per ``- ``, ``? `` or
    ``: `` on one line (compact forms such as ``- - - x``). Quoted text only makes the bound larger.
    The tokens of the whole text bound those of its busiest line: counted first, at C speed, and per
    line only when that coarser bound is over :data:`MAX_DEPTH`.
    """
    indent = max(map(len, _INDENTS.findall(text)), default=0)
    rest = text.count("[") + text.count("{") + 2 * indent + 2
    tokens = text.count("- ") + text.count("? ") + text.count(": ") + 1
    if rest + tokens <= MAX_DEPTH:
        return rest + tokens
    tokens = 0
    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        tokens = max(tokens, stripped.count("- ") + stripped.count("? ") + stripped.count(": ") + 1)
    return rest + tokens


def scan_events(path, text):
    """Refuse aliases and deep nesting before anything is built (libyaml's events cost a tenth of a load;
    a document nested thousands deep would crash the C composer)."""
    depth = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise FileProblem("%s: line %d: nested more than %d levels deep; this is not an org file" % (
                    path, event.start_mark.line + 1, MAX_DEPTH))
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            raise FileProblem("%s: line %d: a YAML alias (*name); aliases are not allowed in org files, "
                              "write the value out" % (path, event.start_mark.line + 1))


def parse_yaml(path, text):
    """A YAML document with no aliases; problems raise :class:`FileProblem` naming the file and line."""
    try:
        if "*" in text or depth_bound(text) > MAX_DEPTH:
            scan_events(path, text)
        return yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = "line %d: " % (mark.line + 1) if mark is not None else ""
        raise FileProblem("%s: not valid YAML (%s%s)" % (
            path, line, shorten(getattr(exc, "problem", None) or str(exc), 200)))
    except FileProblem:
        raise
    except RecursionError:
        raise FileProblem("%s: nested too deeply to be an org file" % path)
    except ValueError as exc:
        if "digits" in str(exc):  # an integer of more digits than Python converts
            raise FileProblem("%s: a number of more than 4300 digits; no field holds such a number" % path)
        raise FileProblem("%s: a value that cannot be read (%s)" % (path, shorten(str(exc))))


def read_yaml(path, limit_kind, roots=None, log=None):
    return parse_yaml(path, read_text(path, limit_kind, roots, log))
