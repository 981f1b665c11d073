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

import hashlib
import json

from ansible_collections.genesys.cloud.plugins.plugin_utils.org_records import pages_digest

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
    for kind in ("schemas", "records", "webhooks"):
        digest.update(json.dumps(params.get(kind) or [], sort_keys=True, default=str).encode("utf-8"))
    return digest.hexdigest()


def basis(params, org, read):
    organization = read.organization or {}
    return dict(
        organization_id=organization.get("id"), organization_name=organization.get("name"),
        definition=definition_hash(params, org), files=definition_files(org),
        schemas=dict((s["name"], s.get("version")) for s in read.schemas),
        webhooks=dict((h.get("name"), h.get("dateModified")) for h in read.webhooks),
        records=dict((name, pages_digest(pages)) for name, pages in read.pages.items()))


def load_saved(path):
    """The saved plan document at ``path``; ValueError naming the path when it is not one."""
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except (IOError, OSError, ValueError) as exc:
        raise ValueError("apply_plan: %s cannot be read as a saved plan (%s)" % (path, exc))
    if not isinstance(document, dict) or not isinstance(document.get("basis"), dict):
        raise ValueError("apply_plan: %s is not a plan written by plan_json (it has no basis)" % path)
    return document


def definition_moved(before, now):
    """The first file of the definition that changed, was added or was removed (by name), and how many more."""
    if not isinstance(before, dict):
        return "the org definition (directory or variables) changed since the plan was made"
    names = [name for name in sorted(set(before) | set(now)) if before.get(name) != now.get(name)]
    if not names:
        return "the items given as variables (schemas, records, webhooks) changed since the plan was made"
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
    for kind, what in (("schemas", "version"), ("webhooks", "dateModified"), ("records", "records read")):
        before, now = saved.get(kind) or {}, current.get(kind) or {}
        for name in sorted(set(before) | set(now)):
            if name not in now:
                found.append("%s %s was deleted since the plan was made" % (kind[:-1], name))
            elif name not in before:
                found.append("%s %s was created since the plan was made" % (kind[:-1], name))
            elif before[name] != now[name]:
                found.append("%s %s changed since the plan was made (%s %s, now %s)" % (
                    kind[:-1] if kind != "records" else "the records of", name, what,
                    before[name] if kind != "records" else "digest " + str(before[name])[:12],
                    now[name] if kind != "records" else str(now[name])[:12]))
    return found
