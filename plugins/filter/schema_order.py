# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: schema_order
short_description: Order flex schema definitions so relationships can be applied
version_added: 0.1.0
author: genesys.cloud contributors (@genesys-cloud-collection)
description:
  - Takes a list of M(genesys.cloud.flex_schema)-shaped definitions and returns it in the order
    they can be applied in.
  - Definitions with C(state=present) (the default) come first, each after the schemas
    its relationship fields target.
  - Definitions with C(state=absent) come last, each before the schemas it targets, so a
    schema is deleted only after the schemas that refer to it.
  - For definitions that are deleted, the relationships of the stored schemas (O(stored)) count too,
    since such definitions usually list no fields.
  - Relationships to schemas that are not in the list, and to the schema itself, do not constrain the order.
  - Otherwise the order of the input is kept.
  - A cycle of relationships cannot be applied in any order and fails, naming the cycle.
options:
  _input:
    description: The schema definitions, each a dict with at least C(name).
    type: list
    elements: dict
    required: true
  stored:
    description:
      - The schemas as stored in the org, as the RV(genesys.cloud.flex_schema_info#module:schemas) return value
        of M(genesys.cloud.flex_schema_info) gives them.
    type: list
    elements: dict
    default: []
"""

EXAMPLES = r"""
- name: The schemas to apply (usually kept in a vars file)
  ansible.builtin.set_fact:
    my_schemas:
      - name: stores
        fields:
          - name: region
            type: relationship
            relationship:
              schema: regions
              field: code
      - name: regions
        fields:
          - name: code
            type: string
            required: true
            unique: true

- name: Apply schemas with relationship targets first
  genesys.cloud.flex_schema:
    name: "{{ item.name }}"
    fields: "{{ item.fields | default(omit) }}"
    state: "{{ item.state | default('present') }}"
  loop: "{{ my_schemas | genesys.cloud.schema_order }}"
  loop_control:
    label: "{{ item.name }}"

- name: Read the schemas stored in the org
  genesys.cloud.flex_schema_info:
  register: org_schemas

- name: Order deletions by the relationships stored in the org (stores before regions)
  ansible.builtin.set_fact:
    ordered: "{{ retired_schemas | genesys.cloud.schema_order(org_schemas.schemas) }}"
  vars:
    retired_schemas:
      - {name: regions, state: absent}
      - {name: stores, state: absent}
"""

RETURN = r"""
_value:
  description: The same definitions, ordered.
  type: list
  elements: dict
"""

from ansible.errors import AnsibleFilterError


def _key(name):
    return str(name).lower()


def _targets(definition, stored_fields=()):
    """Names (lower case) of the schemas the definition's relationship fields target by name."""
    found = []
    for field in list(definition.get("fields") or []) + list(stored_fields):
        relationship = field.get("relationship") if isinstance(field, dict) else None
        if isinstance(relationship, dict) and relationship.get("schema"):
            found.append(_key(relationship["schema"]))
    return found


def _dependency_order(definitions, stored_fields=None):
    """Definitions after their targets (depth first in input order); raise on a cycle."""
    stored_fields = stored_fields or {}
    by_name = {}
    for definition in definitions:
        by_name.setdefault(_key(definition["name"]), definition)
    ordered, done, path = [], set(), []

    def visit(definition):
        key = _key(definition["name"])
        if key in done:
            return
        if key in path:
            names = [by_name[step]["name"] for step in path[path.index(key):]] + [definition["name"]]
            raise AnsibleFilterError("flex schema relationships form a cycle: %s; no order can apply them "
                                     "(remove one relationship field, apply, then add it back)"
                                     % " -> ".join(names))
        path.append(key)
        for target in _targets(definition, stored_fields.get(key, ())):
            if target != key and target in by_name:
                visit(by_name[target])
        path.pop()
        done.add(key)
        ordered.append(definition)

    for definition in definitions:
        visit(definition)
    return ordered


def schema_order(definitions, stored=None):
    if not isinstance(definitions, list):
        raise AnsibleFilterError("schema_order expects a list of schema definitions, got %s"
                                 % type(definitions).__name__)
    problems = ["item %d has no name" % index for index, item in enumerate(definitions)
                if not isinstance(item, dict) or not item.get("name")]
    if problems:
        raise AnsibleFilterError("schema_order: %s" % "; ".join(problems))
    stored_fields = dict((_key(schema["name"]), schema.get("fields") or []) for schema in stored or []
                         if isinstance(schema, dict) and schema.get("name"))
    present = [item for item in definitions if item.get("state", "present") != "absent"]
    absent = [item for item in definitions if item.get("state", "present") == "absent"]
    return _dependency_order(present) + list(reversed(_dependency_order(list(reversed(absent)), stored_fields)))


class FilterModule(object):
    def filters(self):
        return {"schema_order": schema_order}
