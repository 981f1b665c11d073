# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The export's ``records`` option: true, false or schema name patterns, and which record sets it covers."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.parsing.convert_bool import BOOLEANS_FALSE, BOOLEANS_TRUE
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.patterns import matches, shown


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
    problems = ["records[%d]: must be a schema name (a non-empty string), not %s" % (index, shown(item))
                for index, item in enumerate(value) if not isinstance(item, str) or not item.strip()]
    if problems:
        raise ValueError("; ".join(problems))
    return [item.strip() for item in value]


def covers(option, selected, schema_name, exported_schemas=()):
    """Whether the records of ``schema_name`` are the export's business: ``option`` names them and the schema is
    ``selected`` by the patterns or pulled in (``exported_schemas``: lower-case names of the exported schemas)."""
    if option is False:
        return False
    if not (selected or schema_name.lower() in exported_schemas):
        return False
    return option is True or any(matches(schema_name, pattern) for pattern in option)


def records_problems(option, exported):
    """Entries of a ``records`` list that name no exported schema (an error: a typo would export nothing)."""
    if not isinstance(option, list):
        return []
    names = [schema["name"] for schema in exported]
    return ["records: %s names no exported schema (exported: %s)" % (
        shown(pattern), ", ".join(sorted(names)[:20]) or "none")
        for pattern in option if not any(matches(name, pattern) for name in names)]
