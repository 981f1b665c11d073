# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What an export holds: ``include`` / ``exclude`` name patterns per kind, the ``records`` selection,
and the relationship targets a selected schema needs.

Patterns are shell-style (``*``, ``?``, ``[abc]``) and match names without regard to case, as the
org directory compares names. With ``include`` given, a kind it does not name is not exported.
A schema whose relationships point at a schema the patterns leave out pulls that schema in (and,
with ``records: true``, its records), so the export applies on its own; a target that ``exclude``
names explicitly stays out, with a warning.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import difflib
import fnmatch

from ansible.module_utils.parsing.convert_bool import BOOLEANS_FALSE, BOOLEANS_TRUE

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.registry import KINDS

FILTERING = tuple(kind for kind in KINDS if kind.export_filtered)
FILTERED_KINDS = tuple(kind.name for kind in FILTERING)
SHOWN = 80


def _shown(value):
    text = str(value)
    return text if len(text) <= SHOWN else text[:SHOWN] + "..."


def matches(name, pattern):
    return fnmatch.fnmatchcase(str(name).lower(), str(pattern).lower())


def records_option(value):
    """``True``, ``False`` or a list of schema name patterns from the ``records`` option; raises ValueError."""
    if isinstance(value, bool):
        return value
    if value is None:
        return True
    if isinstance(value, str):
        if value.lower() in [str(v).lower() for v in BOOLEANS_TRUE if isinstance(v, str)]:
            return True
        if value.lower() in [str(v).lower() for v in BOOLEANS_FALSE if isinstance(v, str)]:
            return False
        value = [part.strip() for part in value.split(",")]
    if not isinstance(value, list):
        raise ValueError("records: must be true, false or a list of schema names, not %s" % type(value).__name__)
    problems = ["records[%d]: must be a schema name (a non-empty string), not %s" % (index, _shown(item))
                for index, item in enumerate(value) if not isinstance(item, str) or not item.strip()]
    if problems:
        raise ValueError("; ".join(problems))
    return [item.strip() for item in value]


def filter_option(option, value):
    """``(patterns by kind, problems)`` of an ``include`` / ``exclude`` value: ``{schemas: [...], webhooks: [...]}``.

    A kind may be given one pattern as a string; unknown kinds and empty patterns are problems.
    """
    if value is None:
        return None, []
    if not isinstance(value, dict):
        return None, ["%s: must map kinds (schemas, webhooks) to lists of name patterns, not %s"
                      % (option, type(value).__name__)]
    patterns, problems = {}, []
    for kind, given in value.items():
        if kind not in FILTERED_KINDS:
            close = difflib.get_close_matches(str(kind), FILTERED_KINDS, n=1)
            problems.append("%s: unknown kind %s%s; the kinds are schemas and webhooks" % (
                option, _shown(kind), " (did you mean %s?)" % close[0] if close else ""))
            continue
        if given is None:
            continue
        given = [given] if isinstance(given, str) else given
        if not isinstance(given, list):
            problems.append("%s.%s: must be a list of name patterns" % (option, kind))
            continue
        for index, pattern in enumerate(given):
            if not isinstance(pattern, str) or not pattern.strip():
                problems.append("%s.%s[%d]: must be a name pattern (a non-empty string)" % (option, kind, index))
        patterns[kind] = [pattern.strip() for pattern in given if isinstance(pattern, str)]
    return patterns, problems


class Scope:
    """Which names of each kind an export covers (before relationship targets are added)."""

    def __init__(self, include=None, exclude=None, records=True):
        self.include = dict((kind, list(patterns)) for kind, patterns in include.items()
                            if patterns is not None) if include else None
        self.exclude = dict((kind, list(patterns or [])) for kind, patterns in (exclude or {}).items())
        self.records = records

    def excluded(self, kind, name):
        return any(matches(name, pattern) for pattern in self.exclude.get(kind) or [])

    def selects(self, kind, name):
        """Whether the patterns select ``name`` of ``kind`` (``schemas`` or ``webhooks``)."""
        if self.include is not None:
            if not any(matches(name, pattern) for pattern in self.include.get(kind) or []):
                return False
        return not self.excluded(kind, name)

    def covers_records(self, schema_name, exported_schemas=()):
        """Whether the records of ``schema_name`` are the export's business: ``records`` names them and the
        schema is selected or pulled in (``exported_schemas``: lower-case names of the exported schemas)."""
        if self.records is False:
            return False
        if not (self.selects("schemas", schema_name) or schema_name.lower() in exported_schemas):
            return False
        return self.records is True or any(matches(schema_name, pattern) for pattern in self.records)

    def covers(self, kind, name, exported_schemas=()):
        """Whether a file of ``kind`` for ``name`` is the export's business this time (exported, or
        selected and gone from the org)."""
        if kind == "records":
            return self.covers_records(name, exported_schemas)
        return self.selects(kind, name) or (kind == "schemas" and name.lower() in exported_schemas)


def select(scope, objects):
    """Apply ``scope`` to the org's (user-shaped) objects of the filtered kinds, ``{kind: [object]}``.

    Returns ``(chosen, pulled_in, warnings)``: the objects to export by kind, ``{target: [objects that point at
    it]}`` for objects a kind adds for what the chosen ones need (relationship targets), and warnings (patterns
    that match nothing, targets left out by ``exclude``).
    """
    chosen, pulled_in, warnings = {}, {}, []
    for kind in FILTERING:
        chosen[kind.name], pulled, found = kind.export_select(scope, objects.get(kind.name) or [])
        pulled_in.update(pulled)
        warnings += found
    for kind in FILTERING:
        existing = [item["name"] for item in objects.get(kind.name) or []]
        for pattern in (scope.include or {}).get(kind.name) or []:
            if not any(matches(name, pattern) for name in existing):
                warnings.append("include.%s: %s matches no %s of the org" % (kind.name, _shown(pattern), kind.noun))
    return chosen, pulled_in, warnings


def records_problems(scope, exported):
    """Entries of a ``records`` list that name no exported schema (an error: a typo would export nothing)."""
    if not isinstance(scope.records, list):
        return []
    names = [schema["name"] for schema in exported]
    return ["records: %s names no exported schema (exported: %s)" % (
        _shown(pattern), ", ".join(sorted(names)[:20]) or "none")
        for pattern in scope.records if not any(matches(name, pattern) for name in names)]
