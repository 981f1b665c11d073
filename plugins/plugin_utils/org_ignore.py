# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``ignore:`` in ``org.yml``: objects of the org that the directory leaves alone on purpose.

``ignore: {webhooks: ["eda-*"], schemas: ["tmp_*"]}`` maps a kind to shell-style name patterns
(``fnmatch.fnmatchcase``: ``*``, ``?``, ``[abc]``; case-sensitive). An object of the org that the
definition does not name and that a pattern of its kind matches is neither reported as not managed
here, nor deleted (``delete_unmanaged``), nor fails the drift check (``fail_on_unmanaged``); the plan
counts such objects in one note. A pattern that matches an object the definition names is a problem
(an object is either managed or ignored). With bases, each kind's list of the overlay replaces the
base's list of that kind (``webhooks: []`` ignores no webhook again); kinds it does not name are kept.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import difflib
import fnmatch

KINDS = ("schemas", "webhooks")
PATTERN_LIMIT = 200
EXAMPLE = 'e.g. ignore: {webhooks: ["eda-*"], schemas: ["tmp_*"]}'


def _shown(value):
    text = "%r" % (value,)
    return text if len(text) <= 60 else text[:57] + "..."


def ignore_problems(path, ignore):
    """Problems of the ``ignore`` value of the ``org.yml`` at ``path`` (None when there is none)."""
    if ignore is None:
        return []
    if not isinstance(ignore, dict):
        return ["%s: ignore: must map a kind (schemas, webhooks) to a list of name patterns (%s), not %s"
                % (path, EXAMPLE, _shown(ignore))]
    problems = []
    for kind, patterns in ignore.items():
        if kind not in KINDS:
            close = difflib.get_close_matches(str(kind), KINDS, n=1)
            problems.append("%s: ignore: unknown kind %s%s; ignore takes schemas and webhooks"
                            % (path, _shown(kind), " (did you mean %s?)" % close[0] if close else ""))
            continue
        if not isinstance(patterns, list):
            problems.append("%s: ignore.%s: must be a list of name patterns (%s), not %s"
                            % (path, kind, EXAMPLE, _shown(patterns)))
            continue
        for index, pattern in enumerate(patterns):
            if not isinstance(pattern, str) or not pattern.strip() or len(pattern) > PATTERN_LIMIT:
                problems.append("%s: ignore.%s[%d]: must be a name pattern (text of 1 to %d characters such as "
                                "eda-*), not %s" % (path, kind, index, PATTERN_LIMIT, _shown(pattern)))
    return problems


def merged(settings_chain):
    """The ``ignore`` of a directory and its bases (``[settings]``, the deepest base first): per kind, the
    list of the last directory that names the kind."""
    result = {}
    for settings in settings_chain:
        result.update((settings or {}).get("ignore") or {})
    return result


def pattern_for(ignore, kind, name):
    """The first pattern of ``kind`` in ``ignore`` that matches ``name``, or None."""
    for pattern in (ignore or {}).get(kind) or []:
        if fnmatch.fnmatchcase(str(name), pattern):
            return pattern
    return None


def managed_problems(ignore, org):
    """Objects the definition names (``org[kind]`` items) that an ignore pattern matches, each naming both."""
    problems = []
    for kind in KINDS:
        for item in org.get(kind) or []:
            pattern = pattern_for(ignore, kind, item.name)
            if pattern is not None:
                problems.append("org.yml: ignore.%s: the pattern %s matches %s %s, which %s defines: an object is "
                                "either managed or ignored; narrow the pattern or remove the definition"
                                % (kind, pattern, kind[:-1], item.name, item.where))
    return problems
