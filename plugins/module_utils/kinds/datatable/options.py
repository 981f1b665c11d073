# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options of one data table, shared by ``genesys.cloud.datatable`` and (later) the org run, and their checks.

The documented limits of the service are defaults only: no endpoint tells an org's own, so an org whose
limits were raised raises them here too (``max_properties``, ``max_tables``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.genesys.cloud.plugins.module_utils.records import problem_value
from ansible_collections.genesys.cloud.plugins.module_utils.runner import module_arguments

TYPES = ("string", "integer", "number", "boolean")
MAX_PROPERTIES = 50  # besides key
MAX_TABLES = 200
MAX_NAME, MAX_DESCRIPTION, MAX_KEY_LENGTH = 256, 512, 256
PROPERTY_NAME = re.compile(r"^[A-Za-z0-9_]{1,64}$")

PROPERTY_OPTIONS = dict(
    name=dict(type="str", required=True),
    type=dict(type="str", choices=list(TYPES)),
    title=dict(type="str"),
    default=dict(type="raw"),
    max_length=dict(type="int", no_log=False),
)

ARGUMENTS = module_arguments(
    dict(
        name=dict(type="str", required=True),
        description=dict(type="str"),
        key_title=dict(type="str", no_log=False),
        properties=dict(type="list", elements="dict", options=PROPERTY_OPTIONS),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        force=dict(type="bool", default=False),
        max_properties=dict(type="int", default=MAX_PROPERTIES),
        max_tables=dict(type="int", default=MAX_TABLES),
    ),
)


def value_problem(ptype, value, max_length=None, min_length=None):
    """Why ``value`` is not a value of a property of type ``ptype`` (None when it is one)."""
    is_bool = isinstance(value, bool)
    fits = {"string": isinstance(value, str), "boolean": is_bool,
            "integer": not is_bool and (isinstance(value, int) or (isinstance(value, float) and value.is_integer())),
            "number": not is_bool and isinstance(value, (int, float))}[ptype]
    if not fits:
        return "%s is not of type %s" % (problem_value(value), ptype)
    if ptype == "string":
        if max_length is not None and len(value) > max_length:
            return "is %d characters long, over its max_length %d" % (len(value), max_length)
        if min_length is not None and len(value) < min_length:
            return "is %d characters long, under its minLength %d" % (len(value), min_length)
    return None


def table_label(name):
    """How messages name a table: never more than a short prefix of what the user gave."""
    return "data table %s" % problem_value(name)


def check_params(params):
    """Every problem of one table's options alone (no request), each naming the table and the option."""
    name = params["name"]
    where = table_label(name)
    problems = []
    if not 1 <= len(name) <= MAX_NAME:
        problems.append("name: a data table's name has 1 to %d characters" % MAX_NAME)
    if params.get("description") is not None and len(params["description"]) > MAX_DESCRIPTION:
        problems.append("%s: description has %d characters, at most %d" % (where, len(params["description"]),
                                                                           MAX_DESCRIPTION))
    for option in ("max_properties", "max_tables"):
        if params.get(option) is not None and params[option] < 1:
            problems.append("%s: must be at least 1" % option)
    if params.get("state") == "absent":
        return problems
    seen = set()
    for index, prop in enumerate(params.get("properties") or []):
        pname = prop["name"]
        at = "%s: properties[%d] (%s)" % (where, index, problem_value(pname))
        if pname == "key":
            problems.append("%s: key is the table's key column; set its label with key_title, not in properties" % at)
        elif not PROPERTY_NAME.match(pname):
            problems.append("%s: a property name has 1 to 64 letters, digits or _ (the label goes in title)" % at)
        if pname.lower() in seen:
            problems.append("%s: the property is listed twice" % at)
        seen.add(pname.lower())
        ptype, max_length = prop.get("type"), prop.get("max_length")
        if max_length is not None:
            if ptype not in (None, "string"):
                problems.append("%s: max_length is for string properties only" % at)
            elif max_length < 0:
                problems.append("%s: max_length must be at least 0" % at)
    return problems
