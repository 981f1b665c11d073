# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Relationship order among the schemas of an org definition: targets before the schemas pointing at them."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class RelationshipCycle(ValueError):
    """Schemas whose relationships form a cycle: no order creates them."""


def relationship_targets(item):
    """The schema names a schema item's relationship fields point at (itself excluded)."""
    found = []
    for field in item.data.get("fields") or []:
        relationship = field.get("relationship") if isinstance(field, dict) else None
        if isinstance(relationship, dict) and relationship.get("schema"):
            target = str(relationship["schema"])
            if target.lower() != item.name.lower() and target not in found:
                found.append(target)
    return found


def order_schemas(schemas):
    """Schemas with every relationship target before the schemas that point at it (ties keep their order).

    A target outside the list (already in the org) is no constraint; a cycle cannot be created in
    any order, so it raises :class:`RelationshipCycle`.
    """
    by_name = dict((item.name.lower(), item) for item in schemas)
    ordered, state = [], {}

    def visit(item, path):
        key = item.name.lower()
        if state.get(key) == "done":
            return
        if state.get(key) == "visiting":
            raise RelationshipCycle("schemas: relationship cycle %s" % " -> ".join(path + [item.name]))
        state[key] = "visiting"
        for target in relationship_targets(item):
            if target.lower() in by_name:
                visit(by_name[target.lower()], path + [item.name])
        state[key] = "done"
        ordered.append(item)

    for item in schemas:
        visit(item, [])
    return ordered


def schema_levels(ordered):
    """Ordered schemas grouped into levels: a schema comes one level after the latest of its targets."""
    level_of, levels = {}, []
    for item in ordered:
        level = 1 + max([level_of[t.lower()] for t in relationship_targets(item) if t.lower() in level_of] or [-1])
        level_of[item.name.lower()] = level
        while len(levels) <= level:
            levels.append([])
        levels[level].append(item)
    return levels, level_of


def level_function(schemas):
    """``name -> level`` of the schemas of a definition (a name it does not hold: after every level)."""
    levels, level_of = schema_levels(list(schemas))
    return lambda name: level_of.get(name.lower(), len(levels))
