# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``ignore:`` in ``org.yml``: objects of the org that the directory leaves alone on purpose.

``ignore:`` maps a kind (those whose descriptor says ``ignorable``) to shell-style name patterns
(``fnmatch.fnmatchcase``: ``*``, ``?``, ``[abc]``; case-sensitive). An object of the org that the
definition does not name and that a pattern of its kind matches is neither reported as not managed
here, nor deleted (``delete_unmanaged``), nor fails the drift check (``fail_on_unmanaged``); the plan
counts such objects in one note. A pattern that matches an object the definition names is a problem
(an object is either managed or ignored). With bases, each kind's list of the overlay replaces the
base's list of that kind (an empty list ignores nothing of that kind again); kinds it does not name are kept.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import difflib
import fnmatch

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.registry import KINDS as REGISTERED, kind_of

IGNORABLE = tuple(kind for kind in REGISTERED if kind.ignorable)
KINDS = tuple(kind.name for kind in IGNORABLE)
PATTERN_LIMIT = 200
# the kinds with a pattern each, the last registered first (as the guides show it)
EXAMPLE = "e.g. ignore: {%s}" % ", ".join('%s: ["%s"]' % (kind.name, kind.ignore_example) for kind in reversed(IGNORABLE))


def _shown(value):
    text = "%r" % (value,)
    return text if len(text) <= 60 else text[:57] + "..."


def ignore_problems(path, ignore):
    """Problems of the ``ignore`` value of the ``org.yml`` at ``path`` (None when there is none)."""
    if ignore is None:
        return []
    if not isinstance(ignore, dict):
        return ["%s: ignore: must map a kind (%s) to a list of name patterns (%s), not %s"
                % (path, ", ".join(KINDS), EXAMPLE, _shown(ignore))]
    problems = []
    for kind, patterns in ignore.items():
        if kind not in KINDS:
            close = difflib.get_close_matches(str(kind), KINDS, n=1)
            problems.append("%s: ignore: unknown kind %s%s; ignore takes %s"
                            % (path, _shown(kind), " (did you mean %s?)" % close[0] if close else "",
                               " and ".join([", ".join(KINDS[:-1]), KINDS[-1]] if len(KINDS) > 1 else KINDS)))
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
                                % (kind, pattern, kind_of(kind).noun, item.name, item.where))
    return problems
