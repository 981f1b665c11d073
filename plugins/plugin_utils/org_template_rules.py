# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a template in an org file may say, decided from its syntax tree before it is rendered.

The files are untrusted (a pull request's author writes them). A template is parsed in the
sandbox :func:`environment` builds, then :func:`refusal` checks its tree against the variables
exposed to org files: every name it reads must be exposed, no call, no attribute of Python
internals, only the filters and tests of the environment; a template that reads a secret must be
the value of a secret field and insert the secret as it is (``{{ name }}``, ``{{ creds.token }}``),
with no filter, condition, test, operator or index over it. Because the answer depends only on
the template's text and on *which* variables are secret (never on their values), no refusal and
no rendering error can tell anything about a secret.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from jinja2.exceptions import SecurityError

from ansible_collections.genesys.cloud.plugins.module_utils.kinds.registry import KINDS

# The most characters (or items) any value made while rendering may have: a file's templates can
# neither loop nor grow a value past this, so rendering ends fast with bounded memory.
MAX_SIZE = 64 * 1024
SIMPLE_FILTERS = ("default", "d", "lower", "upper", "capitalize", "title", "trim", "string", "int", "float",
                  "length", "count", "first", "last", "urlencode")
SIMPLE_TESTS = ("defined", "undefined", "none", "string", "number")
EXPOSED_VARIABLE = "genesys_org_vars"
SECRET_FIELDS = " or ".join(kind.secret_fields for kind in KINDS if kind.secret_fields)


def _size(value):
    return len(value) if isinstance(value, (str, list, tuple, dict)) else len(str(value))


class Limit(SecurityError):
    """A limit of org files hit while rendering; its message holds no value, so it may be shown."""


def _check(size, what):
    if size > MAX_SIZE:
        raise Limit("%s would make a value of more than %d characters" % (what, MAX_SIZE))


def _replace(value, old, new, count=None):
    value, old, new = str(value), str(old), str(new)
    found = value.count(old) if old else len(value) + 1
    if count is not None:
        found = min(found, int(count))
    _check(len(value) + found * max(0, len(new) - len(old)), "replace")
    return value.replace(old, new) if count is None else value.replace(old, new, int(count))


def _join(value, separator=""):
    items = [str(item) for item in value]
    _check(sum(len(item) for item in items) + len(str(separator)) * max(0, len(items) - 1), "join")
    return str(separator).join(items)


def environment():
    """Jinja2's immutable sandbox, narrowed for untrusted files: no globals (``range``, ``lipsum``), no
    methods of values (``'x'.ljust(10**9)``, ``str.format``), a few filters, and no operator that can
    grow a value past ``MAX_SIZE``. Statements (``{% for %}``) are refused before rendering."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class OrgFileEnvironment(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset(["*", "**", "%", "//"])

        def is_safe_attribute(self, obj, attr, value):
            return False  # mappings are still read by key: cfg.url and cfg['url']

        def wrap_str_format(self, value):
            return None

        def call_binop(self, context, operator, left, right):
            numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (left, right))
            if not numbers:
                raise Limit("the operator %s is only for numbers in org files" % operator)
            if operator == "**" and (abs(right) > 64 or abs(left) > 10 ** 6):
                raise Limit("a power too large for an org file")
            return super(OrgFileEnvironment, self).call_binop(context, operator, left, right)

    env = OrgFileEnvironment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
    env.globals.clear()
    filters = dict((name, env.filters[name]) for name in SIMPLE_FILTERS)
    filters.update(replace=_replace, join=_join)
    env.filters = filters
    env.tests = dict((name, env.tests[name]) for name in SIMPLE_TESTS)
    return env


def _names(values):
    return ", ".join(sorted(values))


def _is_reference(node):
    """``name``, ``name.key`` or ``name['key']``: a variable inserted as it is (no filter, test or operator)."""
    from jinja2 import nodes
    while isinstance(node, (nodes.Getattr, nodes.Getitem)):
        if isinstance(node, nodes.Getitem) and not (isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str)):
            return False
        node = node.node
    return isinstance(node, nodes.Name)


def read_names(tree):
    """Every name the parsed template reads: with no statements, a template binds no name of its own, so
    these are all its ``Name`` nodes (``self`` too, which ``find_undeclared_variables`` leaves out)."""
    from jinja2 import nodes
    return set(node.name for node in tree.find_all(nodes.Name))


def refusal(env, tree, names, exposed, secret, secret_field):
    """Why the parsed template ``tree`` may not be rendered, or None.

    ``names``: what it reads (:func:`read_names`); ``exposed``: the names a template may read; ``secret``:
    those of ``names`` whose value is (or holds) a secret; ``secret_field``: whether the template is the
    value of a no_log field.
    """
    from jinja2 import nodes
    hidden = [name for name in names if name not in exposed]
    if hidden:
        return ("%s not exposed to org files: templates read only the keys of the inventory variable %s "
                "(add the value there, under a plain name)" % (_names(hidden), EXPOSED_VARIABLE))
    for node in tree.find_all((nodes.Call, nodes.Getattr, nodes.Getitem, nodes.Filter, nodes.Test)):
        if isinstance(node, nodes.Call):
            return "calls are not allowed in org files (no lookups, functions or methods)"
        if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
            return "attributes starting with _ are not allowed in org files"
        if (isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str)
                and node.arg.value.startswith("_")):
            return "keys starting with _ are not allowed in org files"
        if isinstance(node, nodes.Filter) and node.name not in env.filters:
            return "the filter %s is not available in org files (only %s)" % (node.name, _names(env.filters))
        if isinstance(node, nodes.Test) and node.name not in env.tests:
            return "the test %s is not available in org files (only %s)" % (node.name, _names(env.tests))
    used = sorted(name for name in names if name in secret)
    if not used:
        return None
    if not secret_field:
        return ("reads the secret %s: a vaulted value may only be the value of a secret field (%s), "
                "never of this field" % (_names(used), SECRET_FIELDS))
    outputs = list(tree.find_all(nodes.Output))
    plain = len(outputs) == len(tree.body) and all(
        isinstance(part, nodes.TemplateData) or _is_reference(part) for output in outputs for part in output.nodes)
    if not plain:
        return ("reads the secret %s: insert it as it is ({{ %s }}), with no filter, condition, test, operator "
                "or index over it" % (_names(used), used[0]))
    return None
