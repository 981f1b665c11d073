# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An export as an overlay of a base directory (``org_export`` with ``base``).

The overlay follows the org directory's merge rule (``org.yml`` ``base:``): a file of the overlay
replaces the base's file of the same name, ``state: absent`` removes an object the base defines,
records files replace whole. So the export writes, for every exported object, nothing when the
base's definition means the same, else the object under the base's file name (or its own name when
the base lacks it); for an object the base defines that the org no longer has (within the export's
patterns), a ``state: absent`` file of the same name; for records the base holds that the org no
longer has, an empty set of the same name (``.json`` / ``.yml`` only: an empty ``.csv`` or
``.jsonl`` is refused by the loader, so those are reported as warnings). ``org.yml`` names the base.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import yaml

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.registry import KINDS
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_export_files as ef


def _stem(path):
    return os.path.splitext(os.path.basename(path))[0]


class Base:
    """A loaded base directory: its items by kind and lower-case name, and its org.yml."""

    def __init__(self, directory, items, settings):
        self.directory = directory
        self.items = items
        self.settings = settings if isinstance(settings, dict) else {}

    def mark_gone(self, plan, state, scope, tools=None):
        """Add to ``plan`` what removes, in the merge, the base's objects the org no longer has."""
        names = state["names"]
        for kind in KINDS:
            if kind.named_by_stem:
                kept = set(name.lower() for name, items in (state.get(kind.name) or {}).items() if items)
            else:
                kept = set(item["name"].lower() for item in state.get(kind.name) or [])
            for key, item in sorted(self.items[kind.name].items()):
                if key in kept or (item.absent and not kind.named_by_stem) or not scope.covers(kind.name, item.name, names):
                    continue
                kind.export_gone(plan, "%s/%s" % (kind.name, os.path.basename(item.where)), item, tools)

    def settings_files(self, directory, settings):
        """``{"org.yml": text}``: the overlay's org.yml naming the base (kept as it is when it already does)."""
        relative = os.path.relpath(self.directory, directory)
        if settings.get("base"):
            return {}
        path = os.path.join(directory, "org.yml")
        current = ef.read_text(path, ef.DEFINITION_LIMIT) if os.path.lexists(path) else None
        line = "base: %s\n" % yaml.safe_dump(relative).splitlines()[0]
        if current is not None:
            if current.startswith("---\n"):
                return {"org.yml": "---\n" + line + current[4:]}
            return {"org.yml": line + current}
        text = ("---\n# An overlay of %s, written by genesys.cloud.org_export: the files here replace the base's\n"
                "# files of the same name; state: absent removes an object the base defines.\n%s" % (relative, line))
        for kind in KINDS:
            own = self.settings.get(kind.settings_key) if kind.settings_key else None
            if isinstance(own, dict) and own:
                text += yaml.safe_dump({kind.settings_key: own}, sort_keys=True, default_flow_style=False)
        return {"org.yml": text}


def load_base(path, destination):
    """The base directory at ``path`` (relative paths: to the destination), read by the org directory loader."""
    from ansible_collections.genesys.cloud.plugins.plugin_utils.org_directory import (
        OrgDirectoryError, load_org_directory)

    directory = os.path.abspath(path)
    if not os.path.isdir(directory):
        raise ef.ExportError("base: %s is not a directory (a relative base is taken from dest, as in org.yml)"
                             % directory)
    if os.path.realpath(directory) == os.path.realpath(destination):
        raise ef.ExportError("base: %s is dest itself: give the directory the overlay builds on" % directory)
    try:
        loaded = load_org_directory(directory)
    except OrgDirectoryError as exc:
        raise ef.ExportError("base %s is not a valid org directory: %s" % (directory, "; ".join(exc.problems)))
    items = dict((kind.name, dict((item.name.lower(), item) for item in loaded.get(kind.name) or [])) for kind in KINDS)
    settings = ef.safe_yaml(ef.read_text(os.path.join(directory, "org.yml"), ef.DEFINITION_LIMIT)) or {}
    return Base(directory, items, settings)
