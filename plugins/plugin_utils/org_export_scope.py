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

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.patterns import matches, shown
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.registry import KINDS, kind_of

FILTERING = tuple(kind for kind in KINDS if kind.export_filtered)
FILTERED_KINDS = tuple(kind.name for kind in FILTERING)


def filter_option(option, value):
    """``(patterns by kind, problems)`` of an ``include`` / ``exclude`` value: ``{schemas: [...], webhooks: [...]}``.

    A kind may be given one pattern as a string; unknown kinds and empty patterns are problems.
    """
    if value is None:
        return None, []
    if not isinstance(value, dict):
        return None, ["%s: must map kinds (%s) to lists of name patterns, not %s"
                      % (option, ", ".join(FILTERED_KINDS), type(value).__name__)]
    patterns, problems = {}, []
    for kind, given in value.items():
        if kind not in FILTERED_KINDS:
            close = difflib.get_close_matches(str(kind), FILTERED_KINDS, n=1)
            problems.append("%s: unknown kind %s%s; the kinds are %s" % (
                option, shown(kind), " (did you mean %s?)" % close[0] if close else "",
                " and ".join([", ".join(FILTERED_KINDS[:-1]), FILTERED_KINDS[-1]] if len(FILTERED_KINDS) > 1
                             else FILTERED_KINDS)))
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

    def __init__(self, include=None, exclude=None, **options):
        self.include = dict((kind, list(patterns)) for kind, patterns in include.items()
                            if patterns is not None) if include else None
        self.exclude = dict((kind, list(patterns or [])) for kind, patterns in (exclude or {}).items())
        self.options = options  # the kinds' own options of the export, by kind name

    def excluded(self, kind, name):
        return any(matches(name, pattern) for pattern in self.exclude.get(kind) or [])

    def selects(self, kind, name):
        """Whether the patterns select ``name`` of ``kind`` (one of ``FILTERED_KINDS``)."""
        if self.include is not None:
            if not any(matches(name, pattern) for pattern in self.include.get(kind) or []):
                return False
        return not self.excluded(kind, name)

    def covers(self, kind, name, exported=()):
        """Whether a file of ``kind`` for ``name`` is the export's business this time (exported, or
        selected and gone from the org); ``exported``: lower-case names of the objects other kinds depend on."""
        return kind_of(kind).export_covers(self, name, exported)


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
                warnings.append("include.%s: %s matches no %s of the org" % (kind.name, shown(pattern), kind.noun))
    return chosen, pulled_in, warnings
