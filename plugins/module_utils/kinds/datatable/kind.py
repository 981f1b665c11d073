# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Architect data tables in an org run: ``datatables/NAME.yml`` (the ``genesys.cloud.datatable`` options),
planned against the one list the run reads (``expand=schema``), with the module's plan and apply.

Tables have no version (last writer wins): a saved plan's basis is a digest of each stored table as read.
What the service refuses (a property removed, retyped or resized) is refused in the preview.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json

from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable import apply as table_apply
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable import options, plan as table_plan
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable.read import read_tables, user_view
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.descriptor import Kind
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.export_text import (
    canonical, ordered, plain, without_empty, yaml_text)

EXPORT_KEYS = ("name", "description", "key_title", "properties")
PROPERTY_KEYS = ("name", "type", "title", "default", "max_length")
REMOVAL_PARAMS = dict(state="absent", description=None, key_title=None, properties=None, force=False,
                      max_properties=options.MAX_PROPERTIES, max_tables=options.MAX_TABLES)


def table_digest(table):
    """A stored table as a run read it, hashed (tables carry no version to compare)."""
    text = json.dumps(dict((k, v) for k, v in table.items() if k != "selfUri"), sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def export_document(view):
    """A table as ``datatable_info`` returns it, as the document of ``datatables/<name>.yml``."""
    view = plain(view)
    view.pop("id", None)
    props = [ordered(without_empty(prop), PROPERTY_KEYS) for prop in view.get("properties") or []]
    document = without_empty(dict(view, properties=props))
    if not document.get("description"):
        document.pop("description", None)
    return ordered(document, EXPORT_KEYS)


class DatatableKind(Kind):
    name = "datatables"
    noun = "data table"
    change_kind = "datatable"
    label = "data table"
    of_label = "data table"
    module = "datatable"
    arguments = options.ARGUMENTS
    file_limits = {"datatables": (256 * 1024, "a data table file")}
    ignorable = True
    ignore_example = "legacy-*"
    basis_what = "content"
    basis_digests = True
    example = "datatables/*.yml"

    def item_problems(self, params):
        return options.check_params(params)

    def reads(self, org):
        """Only a definition with tables or rows (files or variable items) reads the table list: an org that does
        not use data tables needs no ``architect`` scope and hears nothing of its tables."""
        return bool(org[self.name] or org.get("datatable_rows"))

    def read_objects(self, client):
        return read_tables(client)

    def read_note(self, read):
        return "%d data tables" % len(read.objects[self.name])

    def plan_step(self, plan, step):
        params = dict(step.item.params) if step.item is not None else dict(REMOVAL_PARAMS, name=step.name)
        if step.direction == "remove":
            params["state"] = "absent"
        try:
            step.plan = table_plan.plan_table(params, plan.read.objects[self.name])
        except GenesysCloudError as exc:  # two stored tables share the name
            step.problems = [exc.message]
            return
        step.problems = list(step.plan.problems)

    def apply_step(self, client, trail, step, shared, diff):
        stored = table_apply.apply_plan(client, trail, step.plan)
        return step.plan.result(diff, stored=stored if stored is not None else {})

    def details(self, plan, step):
        return dict(table_changes=list(step.plan.changes))

    export_filtered = True

    def export_read(self, client):
        return [user_view(table) for table in read_tables(client)]

    def export_plan(self, plan, state, context):
        if state.get(self.name):  # an export state made before the kind was known has none
            Kind.export_plan(self, plan, state, context)

    def export_text(self, item, with_headers):
        return yaml_text(export_document(item))

    def export_meaning(self, data, stem, with_headers):
        """What applying a table file does, comparable (None: not a readable table definition)."""
        if not isinstance(data, dict):
            return None
        try:
            view = dict(name=str(data.get("name", stem)), description=data.get("description") or "",
                        key_title=data.get("key_title"), properties=list(data.get("properties") or []),
                        state=data.get("state", "present"))
            return canonical(dict(export_document(view), state=view["state"]))
        except (AttributeError, TypeError, ValueError):
            return None

    def export_keys(self, with_headers):
        return EXPORT_KEYS

    def saved_values(self, step, digest):
        if step.plan.action == "delete":
            return {"id": digest((step.plan.current or {}).get("id"))}
        return {"table": digest(user_view(step.plan.after))}

    def basis(self, read):
        return dict((table.get("name"), table_digest(table)) for table in read.objects[self.name])


KIND = DatatableKind()
