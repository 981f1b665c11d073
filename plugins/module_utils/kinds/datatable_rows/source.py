# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rows a task wants, from ``rows`` or a ``src`` file, checked against the table's schema.

Files are read by ``records_read.iter_source`` (streaming, strict, naming the line of every problem). Every
row is checked before the first write: the key, unknown properties, types and lengths. Every bad row of a
run is reported together, up to ``max_problems``; a source that cannot be read completely is one problem.
Each row comes back filled the way the service fills it (``fill_row``), so it compares with a stored row.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable.options import MAX_KEY_LENGTH, value_problem
from ansible_collections.genesys.cloud.plugins.module_utils.kinds.datatable.read import fill_value
from ansible_collections.genesys.cloud.plugins.module_utils.records import problem_value
from ansible_collections.genesys.cloud.plugins.module_utils.records_read import SourceError, iter_source


def normalised(prop, value):
    """A value as the service stores it: an integral float of a number property is the integer."""
    if prop.get("type") in ("integer", "number") and isinstance(value, float) and value.is_integer() \
            and abs(value) < 2 ** 53:
        return int(value)
    return value


def fill_row(props, row):
    """The row as the service stores it: every property of the table, those it leaves out filled.

    ``props`` None (a table not created yet, in a preview): the row as given."""
    if props is None:
        return dict(row)
    return dict((name, normalised(prop, row[name]) if name in row else fill_value(prop)) for name, prop in props.items())


def row_problems(props, row):
    """Why one row cannot be stored in a table with these properties (empty when it can); only its key is
    checked when ``props`` is None."""
    if not isinstance(row, dict):
        return ["a row is a mapping of property to value, not %s" % type(row).__name__]
    key = row.get("key")
    if key is None or key == "":
        return ["key is missing (every row needs a key: a string of 1 to %d characters)" % MAX_KEY_LENGTH]
    if not isinstance(key, str):
        return ["key %s is not a string (quote it in YAML: key: \"%s\")" % (problem_value(key), problem_value(key))]
    problems = []
    for name, value in row.items() if props is not None else ():
        prop = props.get(name)
        if prop is None:
            problems.append("%s is not a property of the table (it has %s)" % (
                problem_value(name), ", ".join(sorted(props))))
            continue
        problem = value_problem(prop.get("type", "string"), value, prop.get("maxLength"), prop.get("minLength"))
        if problem:
            problems.append("%s %s" % (name, problem))
    return problems


def _located(params, props):
    if params.get("src"):
        fields = dict((name, {"type": "number" if prop.get("type") in ("integer", "number") else prop.get("type")})
                      for name, prop in (props or {}).items())
        return iter_source(params["src"], fields)
    return (("rows[%d]" % index, row) for index, row in enumerate(params["rows"]))


class WantedRows:
    """Every row the task wants, ``{key: filled row}``, and every problem found reading them."""

    def __init__(self, table_name, props, max_problems):
        self.table_name, self.props, self.max_problems = table_name, props, max_problems
        self.rows, self.where = {}, {}
        self.problems, self.problem_count = [], 0

    def problem(self, text):
        self.problem_count += 1
        if len(self.problems) < self.max_problems:
            self.problems.append(text)

    def add(self, where, row):
        problems = row_problems(self.props, row)
        if problems:
            self.problem("%s: %s" % (where, "; ".join(problems)))
            return
        key = row["key"]
        if key in self.where:
            self.problem("%s: key %s is given twice (first at %s); a key names one row"
                         % (where, problem_value(key), self.where[key]))
            return
        self.where[key] = where
        self.rows[key] = fill_row(self.props, row)

    def summary(self):
        """The problems for an InputError: at most ``max_problems``, then how many more there were."""
        more = self.problem_count - len(self.problems)
        return self.problems + (["... and %d more bad rows (raise max_problems to see them)" % more] if more else [])


def wanted_rows(params, table_name, props):
    """Read and check every row of ``rows`` or ``src``; the whole input, or problems saying why not."""
    wanted = WantedRows(table_name, props, params["max_problems"])
    try:
        for where, row in _located(params, props):
            wanted.add(where, row)
    except SourceError as exc:
        wanted.problem("src: %s" % exc)
    except (IOError, OSError) as exc:
        wanted.problem("src: cannot read %s: %s" % (params["src"], getattr(exc, "strerror", None) or exc))
    return wanted
