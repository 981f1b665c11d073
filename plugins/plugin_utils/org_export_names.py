# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""File names for exported objects that the org directory loader reads back as those objects.

A schema or webhook file holds its object's ``name:``, and the loader takes the name from there, so
its file name only has to be one the loader reads and that no other object of the folder gets: the
name itself when it is a plain file name (ASCII letters, digits, ``.``, ``_``, ``-``; not hidden,
not a README the loader skips, not a name Windows reserves, at most ``MAX_STEM`` characters), else
its plain part followed by a digest of the whole name (``My_Hook-3f2a9c0b1d4e.yml``), or only the
kind and the digest when no plain part is left (``webhook-3f2a9c0b1d4e.yml`` for ``...``). Names
that differ only in case or in characters a file name cannot hold therefore never share a file; a
file name already taken (another file of the folder, another object's plain name) is never reused:
the digest then takes a counter too.

A records file is read as the records of the schema its stem names, so its stem is the schema
name exactly; schema names are plain (``^[A-Za-z][A-Za-z0-9_]{0,63}$``), and only a schema the
loader's rules leave no file name for (``README``) cannot have its records exported.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import re

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.registry import KINDS
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_files as of

PLAIN = re.compile(r"[A-Za-z0-9._-]+")
NOT_PLAIN = re.compile(r"[^A-Za-z0-9._-]+")
MAX_STEM = 100
DIGEST_CHARS = 12
# Names Windows gives devices (with any extension): a clone of the folder there could not hold them.
RESERVED = frozenset(["con", "prn", "aux", "nul", "conin$", "conout$"] +
                     ["com%d" % n for n in range(10)] + ["lpt%d" % n for n in range(10)])
SINGULAR = dict((kind.name, kind.change_kind) for kind in KINDS)


def shown(name):
    """A name for a message: a short prefix, control characters escaped."""
    return of.shorten(str(name).encode("unicode_escape").decode("ascii"), 80)


def digest(name):
    return hashlib.sha256(str(name).encode("utf-8", "surrogatepass")).hexdigest()[:DIGEST_CHARS]


def readable_stem(stem, suffix):
    """Whether ``stem + suffix`` is a file name the loader reads, on any file system."""
    return (bool(stem) and len(stem) <= MAX_STEM and PLAIN.fullmatch(stem) is not None
            and not stem.startswith((".", "-")) and not stem.endswith(".")
            and stem.split(".")[0].lower() not in RESERVED and not of.is_ignored(stem + suffix))


def object_stem(kind, name, suffix=".yml", taken=frozenset()):
    """The stem of the file an exported schema or webhook named ``name`` is written to (see above).

    ``taken``: lower-case file names that are not free (other files of the folder, other objects' plain
    names); a name is then followed by a digest of itself and a counter, the first that is free.
    """
    text = str(name)
    if readable_stem(text, suffix) and (text + suffix).lower() not in taken:
        return text
    plain = NOT_PLAIN.sub("_", text).strip("._-")[:MAX_STEM - DIGEST_CHARS - 1].rstrip("._-")
    attempt = 0
    while True:
        code = digest(text if not attempt else "%s\n%d" % (text, attempt))
        candidate = "%s-%s" % (plain, code)
        if not (plain and readable_stem(candidate, suffix)):
            candidate = "%s-%s" % (SINGULAR.get(kind, "object"), code)
        if (candidate + suffix).lower() not in taken:
            return candidate
        attempt += 1


def object_file(kind, name, suffix=".yml", taken=frozenset()):
    """``kind/<stem><suffix>`` for a schema or webhook."""
    return "%s/%s%s" % (kind, object_stem(kind, name, suffix, taken), suffix)


def stem_file(kind, name, suffix=".jsonl"):
    """``kind/<name><suffix>`` of a kind whose files are named by their object (its stem is the name exactly),
    or None when the loader would not read that file as that object."""
    name = str(name)
    if PLAIN.fullmatch(name) is None or of.is_ignored(name + suffix) or name.startswith("."):
        return None
    return "%s/%s%s" % (kind, name, suffix)
