# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The export's side of the destination folder: what is already there, what it means, and how to
change it without touching anything the export does not own.

- The manifest (``.genesys-export.json``) lists the files that represent exported objects. Only
  those are ever removed, and only when their object is gone (or, in an overlay, now equal to the base).
- A file already in the folder that defines an exported object (found by the name inside it, or by
  the records file's stem) is where that object goes, in the file's own format; it is left alone
  when its content means the same as the export (comments and layout survive).
- Files are read defensively: no symlink is followed, no YAML alias is expanded, no YAML or JSON nested
  deeper than the loader reads, sizes are capped.
- Files are written only as the export's own regular files inside the folder: a kind folder that is a
  link is refused, a temporary file is created exclusively under a fresh name (never through a planted
  link), an entry that is a link is never replaced or followed, and only regular files the manifest
  names (and that still define the object it names) are removed. Every change goes through a handle of
  the folder opened without following links, so a folder swapped for a link midway is not written through.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import csv
import io
import json
import os
import stat

import yaml

from ansible_collections.genesys.cloud.plugins.module_utils.kinds import export_text
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.registry import BY_NAME, KINDS, NAMES
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_files as of

ExportError = export_text.ExportError  # the export cannot go ahead; nothing was written
MANIFEST = ".genesys-export.json"
KIND_FOLDERS = NAMES
YAML_SUFFIXES = (".yml", ".yaml")
DEFINITION_LIMIT = 1 << 20  # a schema or webhook file larger than this is not ours to read
READ_BACK_LIMIT = 64 << 20  # the largest YAML data file an export reads back
DIFF_LIMIT = 64 << 10
PRIVATE_MODE = 0o600
PUBLIC_MODE = 0o644
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# -- reading what is there ----------------------------------------------------------------------
def read_text(path, limit):
    """A regular file's text, or None (a symbolic link, a pipe or device, larger than ``limit``, not UTF-8, unreadable)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except (IOError, OSError):
        return None
    try:
        with os.fdopen(descriptor, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
                return None
            data = handle.read(limit + 1)
        return data.decode("utf-8") if len(data) <= limit else None
    except (IOError, OSError, UnicodeDecodeError):
        return None


def safe_yaml(text):
    """The YAML document in ``text``; None when it is not valid, or uses an alias (never expanded)."""
    if text is None:
        return None
    try:
        if "*" not in text and of.depth_bound(text) <= of.MAX_DEPTH:
            return yaml.load(text, Loader=_LOADER)
        return of.parse_yaml("", text)  # aliases and deep nesting are refused before anything is built
    except (yaml.YAMLError, of.FileProblem):
        return None


def _stem(name):
    return os.path.splitext(name)[0]


def entries(folder):
    """Every name in ``folder`` (files, links, folders, hidden ones), or [] when it cannot be listed."""
    try:
        return os.listdir(folder)
    except (IOError, OSError):
        return []


def _listing(folder):
    try:
        names = sorted(os.listdir(folder))
    except (IOError, OSError):
        return []
    # files the loader skips (hidden, README) hold no object: an object written there would be lost
    return [name for name in names if not of.is_ignored(name) and os.path.isfile(os.path.join(folder, name))
            and not os.path.islink(os.path.join(folder, name))]


def scan(directory):
    """Which file of ``directory`` defines which object: ``{kind: {name.lower(): relative path}}``.

    Schema and webhook files are read for the ``name`` inside (default: the file's stem); a file
    that cannot be read defines nothing. Records files are matched by stem (any records suffix, any case).
    """
    found = dict([(kind.name, {}) for kind in KINDS] + [("duplicates", [])])
    for kind in KINDS:
        folder = os.path.join(directory, kind.name)
        for name in _listing(folder):
            if not name.lower().endswith(kind.suffixes):
                continue
            if kind.named_by_stem:
                key = _stem(name).lower()
                if key in found[kind.name]:
                    found["duplicates"].append("%s/%s and %s both hold %s %s: keep one" % (
                        kind.name, name, found[kind.name][key], kind.label, _stem(name)))
                found[kind.name].setdefault(key, "%s/%s" % (kind.name, name))
                continue
            data = safe_yaml(read_text(os.path.join(folder, name), DEFINITION_LIMIT))
            if not isinstance(data, dict):
                continue
            key = str(data.get("name", _stem(name))).lower()
            found[kind.name].setdefault(key, "%s/%s" % (kind.name, name))
    return found


def read_manifest(directory):
    """``{relative path: "kind/name"}`` of the previous export (empty when there is none or it is unreadable)."""
    data = None
    text = read_text(os.path.join(directory, MANIFEST), 16 << 20)
    if text is not None:
        try:
            data = json.loads(text)
        except ValueError:
            data = None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return {}
    return dict((path, owner) for path, owner in files.items()
                if isinstance(path, str) and isinstance(owner, str) and "/" in owner and own_file_path(path))


def own_file_path(relative):
    """Whether ``relative`` (from a manifest) names a file directly in a kind folder: ``kind/name``, no more."""
    parts = relative.split("/")
    return (len(parts) == 2 and parts[0] in KIND_FOLDERS and parts[1] not in ("", ".", "..")
            and "\\" not in parts[1] and "\x00" not in parts[1])


def manifest_text(files):
    document = {"about": "Files written by genesys.cloud.org_export for the objects it exported. A later export "
                         "removes a listed file only when its object is gone; it never touches other files.",
                "version": 1, "files": dict(sorted(files.items()))}
    return json.dumps(document, indent=1, sort_keys=True) + "\n"


# -- what a file means ----------------------------------------------------------------------------
# -- writing in a format --------------------------------------------------------------------------
def _yaml_text(document):
    return "---\n" + yaml.safe_dump(document, sort_keys=False, default_flow_style=False, allow_unicode=True,
                                    width=100)


def csv_header(path):
    """The header row of an existing CSV file (its column order is kept), or []."""
    if os.path.islink(path) or not os.path.isfile(path):
        return []
    try:
        with io.open(path, encoding="utf-8", newline="") as handle:
            return next(csv.reader(handle), [])
    except (IOError, OSError, UnicodeDecodeError, csv.Error):
        return []


# -- changing the folder --------------------------------------------------------------------------
def _kind_of(relative):
    return BY_NAME.get(relative.split("/", 1)[0])


def file_mode(relative, text):
    """Files whose kind says they hold a secret (a webhook's header values, say) are readable by their owner only."""
    kind = _kind_of(relative)
    if kind is not None and kind.export_masks and kind.export_private(safe_yaml(text)):
        return PRIVATE_MODE
    return PUBLIC_MODE


def current_mode(path):
    try:
        return stat.S_IMODE(os.lstat(path).st_mode)
    except (IOError, OSError):
        return None


# -- --diff ---------------------------------------------------------------------------------------
def _masked(kind, text):
    data = safe_yaml(text)
    if not isinstance(data, dict):
        return "(not readable as YAML; not shown)\n" if text else ""
    return _yaml_text(kind.export_masked(data))


def diff_entry(relative, before, after):
    """One file's ``--diff`` entry: webhook files with header values and secrets masked, large files summed up."""
    kind = _kind_of(relative)
    if kind is not None and kind.export_masks:
        before, after = _masked(kind, before), _masked(kind, after)
    elif len(before or "") > DIFF_LIMIT or len(after or "") > DIFF_LIMIT:
        before = "(%d lines, too large to show)\n" % len((before or "").splitlines()) if before else ""
        after = "(%d lines, too large to show)\n" % len((after or "").splitlines()) if after else ""
    return dict(before_header=relative if before is not None else "/dev/null",
                after_header=relative if after is not None else "/dev/null",
                before=before or "", after=after or "")
