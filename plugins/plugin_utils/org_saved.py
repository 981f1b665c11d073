# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Saved plans: what a plan was made from (its basis), and whether the org and directory still match it.

A plan's basis is the org's id, a content hash of the definition (every file the load read, each by
name and digest, and the items given as variables) and what the run read: each schema's version,
each webhook's ``dateModified`` and a digest of each schema's record pages. Planning is a function
of exactly these inputs, so a plan applied with an unchanged basis is the saved plan; any difference
refuses the apply before the first write, naming what moved.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import hashlib
import json
import os
import zlib

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.registry import KINDS, NAMES, kind_of
from ansible_collections.genesys.cloud.plugins.plugin_utils import json_limits
from ansible_collections.genesys.cloud.plugins.plugin_utils.org_report import PLAN_FORMAT

ARTIFACT_PREFIX = "genesys-plan:"
MAX_PLAN_BYTES = 64 * 1024 * 1024
MAX_PLAN_DEPTH = 64
FRESH_PLAN = ("make a fresh plan (run preview_org.yml with -e genesys_plan_json=PATH again), review it, and apply "
              "that one")


def definition_files(org):
    """``{path relative to the org directory: sha256}`` of exactly the files the load read (``org["files"]``).

    Files the load never saw (a FIFO, a link to /dev/zero, an editor's backup) are never opened; a records
    file streamed later is digested through the same regular-file check the load made.
    """
    files = org.get("files")
    return dict(files.digests()) if files is not None else {}


def definition_hash(params, org):
    """sha256 of the whole definition: every file the load read (name and digest), and the variables."""
    digest = hashlib.sha256()
    for label, file_digest in sorted(definition_files(org).items()):
        digest.update(("\0file %s\0%s" % (label, file_digest)).encode("utf-8"))
    for kind in NAMES:
        digest.update(json.dumps(params.get(kind) or [], sort_keys=True, default=str).encode("utf-8"))
    return digest.hexdigest()


def _text(value):
    """A version as text: the same version read as 1 and as "1" is one version (never "version 1, now 1")."""
    return None if value is None else str(value)


def basis(params, org, read):
    organization = read.organization or {}
    return dict(
        organization_id=organization.get("id"), organization_name=organization.get("name"),
        definition=definition_hash(params, org), files=definition_files(org),
        **dict((kind.name, kind.basis(read)) for kind in KINDS if kind.basis(read) is not None))


def comparable_basis(saved):
    """A saved basis with its versions as text (a plan written before versions were)."""
    saved = dict(saved)
    for kind in NAMES:
        if not kind_of(kind).basis_digests and isinstance(saved.get(kind), dict):
            saved[kind] = dict((name, _text(value)) for name, value in saved[kind].items())
    return saved


# -- the saved plan document: read (a path, the preview's artifact or the value), checked, sealed ----------
def content_digest(document):
    """sha256 of a plan document's content (every key but ``digest``), canonical JSON."""
    content = dict((key, value) for key, value in document.items() if key != "digest")
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sealed(document):
    """``document`` as JSON data (what its file holds when read back) with its ``digest``."""
    document = json.loads(json.dumps(document, default=str))
    document["digest"] = content_digest(document)
    return document


def artifact(document):
    """The sealed plan as one line of text (``genesys-plan:`` and base64 of compressed JSON) for ``set_stats``:
    a value no template engine reads as a template, whatever the plan's own strings hold."""
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), default=str)
    return ARTIFACT_PREFIX + base64.b64encode(zlib.compress(text.encode("utf-8"), 9)).decode("ascii")


def _from_artifact(value, where):
    if len(value) > MAX_PLAN_BYTES:
        raise ValueError("apply_plan: %s is larger than %d bytes; a saved plan is smaller" % (where, MAX_PLAN_BYTES))
    try:
        packed = base64.b64decode(value[len(ARTIFACT_PREFIX):].strip(), validate=True)
        inflater = zlib.decompressobj()
        text = inflater.decompress(packed, MAX_PLAN_BYTES + 1)
    except (ValueError, zlib.error) as exc:
        raise ValueError("apply_plan: %s is not a plan artifact (%s)" % (where, exc))
    if len(text) > MAX_PLAN_BYTES or inflater.unconsumed_tail:
        raise ValueError("apply_plan: %s holds more than %d bytes; a saved plan is smaller" % (where, MAX_PLAN_BYTES))
    return text.decode("utf-8", "replace")


def _read_path(path):
    try:
        if not os.path.isfile(path):
            raise ValueError("it is not a regular file")
        with open(path, "rb") as handle:
            data = handle.read(MAX_PLAN_BYTES + 1)
    except (IOError, OSError, ValueError) as exc:
        raise ValueError("apply_plan: %s cannot be read as a saved plan (%s)" % (path, exc))
    if len(data) > MAX_PLAN_BYTES:
        raise ValueError("apply_plan: %s is larger than %d bytes; a saved plan is smaller" % (path, MAX_PLAN_BYTES))
    return data.decode("utf-8", "replace")


def _parsed(text, where):
    try:
        return json_limits.loads(text, MAX_PLAN_DEPTH)
    except json_limits.JSONNestingError as exc:
        raise ValueError("apply_plan: %s line %d: the JSON nests deeper than %d levels; a saved plan never does"
                         % (where, exc.line, MAX_PLAN_DEPTH))
    except ValueError as exc:
        raise ValueError("apply_plan: %s cannot be read as a saved plan (%s)" % (where, exc))


def _chosen(value, inventory_host):
    """The plan among the preview's artifacts (a dict keyed by inventory host), or ``value`` itself."""
    if isinstance(value, dict) and "format" not in value and "basis" not in value:
        if inventory_host in value:
            return value[inventory_host], "the plan of %s" % inventory_host
        raise ValueError("apply_plan: the plans given are for %s, none for %s: preview this org too, approve its plan "
                         "and apply that one" % (", ".join(sorted(str(k) for k in value)[:10]) or "no host",
                                                 inventory_host))
    return value, None


def load_saved(source, inventory_host=None):
    """The saved plan document from ``source`` (a path, the preview's ``plan_artifact`` text, the document itself
    or a dict of those by inventory host); ValueError naming the source when it is not a sound one."""
    source, where = _chosen(source, inventory_host)
    if isinstance(source, str) and source.startswith(ARTIFACT_PREFIX):
        where = where or "the plan artifact"
        document = _parsed(_from_artifact(source, where), where)
    elif isinstance(source, str):
        where = where or os.path.expanduser(source)
        document = _parsed(_read_path(where), where)
    elif isinstance(source, dict):
        where = where or "the plan given as a value"
        if len(json.dumps(source, default=str)) > MAX_PLAN_BYTES:
            raise ValueError("apply_plan: %s is larger than %d bytes" % (where, MAX_PLAN_BYTES))
        document = source
    else:
        raise ValueError("apply_plan: give a path, the preview's plan artifact or the plan itself, not a %s"
                         % type(source).__name__)
    problem = document_problem(document)
    if problem:
        raise ValueError("apply_plan: %s %s" % (where, problem))
    document["where"] = where
    return document


def document_problem(document):
    """Why ``document`` is no plan this collection applies as it was saved (format, seal, shape); None if it is."""
    if not isinstance(document, dict) or not isinstance(document.get("basis"), dict):
        return "is not a plan written by plan_json (it has no basis)"
    if document.get("format") != PLAN_FORMAT:
        return ("has format %s; this collection applies plans of format %s. %s"
                % (_short(document.get("format")), PLAN_FORMAT, FRESH_PLAN.capitalize()))
    if not isinstance(document.get("saved"), dict) or "digest" not in document:
        return ("was written by an earlier release (it has no saved actions and no digest). %s"
                % FRESH_PLAN.capitalize())
    if document.get("digest") != content_digest(document):
        return ("was edited by hand after it was saved (its content no longer matches its digest); a saved plan is "
                "applied as it was reviewed. %s" % FRESH_PLAN.capitalize())
    saved = document["saved"]
    actions = saved.get("actions")
    if not isinstance(saved.get("salt"), str) or not isinstance(saved.get("options"), dict) or not (
            isinstance(actions, list) and all(_sound_action(action) for action in actions)):
        return "is not a plan written by plan_json (its saved actions are malformed). %s" % FRESH_PLAN.capitalize()
    return None


def _sound_action(action):
    return (isinstance(action, dict) and all(isinstance(action.get(key), str) for key in ("kind", "name", "action"))
            and isinstance(action.get("values"), dict)
            and all(isinstance(value, str) for value in action["values"].values()))


def _short(value):
    text = json.dumps(value, default=str)
    return text if len(text) <= 20 else text[:17] + "..."


def definition_moved(before, now):
    """The first file of the definition that changed, was added or was removed (by name), and how many more."""
    if not isinstance(before, dict):
        return "the org definition (directory or variables) changed since the plan was made"
    names = [name for name in sorted(set(before) | set(now)) if before.get(name) != now.get(name)]
    if not names:
        return "the items given as variables (%s) changed since the plan was made" % ", ".join(NAMES)
    first = names[0]
    how = "was added" if first not in before else "was removed" if first not in now else "changed"
    more = " (and %d more file%s)" % (len(names) - 1, "s" if len(names) > 2 else "") if len(names) > 1 else ""
    return "the org definition changed since the plan was made: %s %s%s" % (first, how, more)


def moved(saved, current):
    """What differs between a saved plan's basis and the current one, each named."""
    found = []
    if saved.get("organization_id") != current.get("organization_id"):
        found.append("the plan was made for org %s (%s), this run's token belongs to %s (%s)" % (
            saved.get("organization_name"), saved.get("organization_id"), current.get("organization_name"),
            current.get("organization_id")))
        return found
    if saved.get("definition") != current.get("definition"):
        found.append(definition_moved(saved.get("files"), current.get("files") or {}))
    for kind in sorted(KINDS, key=lambda kind: kind.basis_digests):  # digests last
        before, now = saved.get(kind.name) or {}, current.get(kind.name) or {}
        digests = kind.basis_digests
        for name in sorted(set(before) | set(now)):
            if name not in now:
                found.append("%s %s was deleted since the plan was made" % (kind.noun, name))
            elif name not in before:
                found.append("%s %s was created since the plan was made" % (kind.noun, name))
            elif before[name] != now[name]:
                found.append("%s %s changed since the plan was made (%s %s, now %s)" % (
                    kind.of_label, name, kind.basis_what,
                    before[name] if not digests else "digest " + str(before[name])[:12],
                    now[name] if not digests else str(now[name])[:12]))
    return found
