# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Values per org: string values of a ``templated: true`` directory's files, rendered with the host's variables.

The files are untrusted (a pull request's author writes them), so their templates are rendered
by Jinja2's *sandboxed* environment with Jinja's built-in filters only: no lookups, no Ansible
filters, no attribute access to Python internals. The variables a template names are resolved by
the ``genesys.cloud.org`` task's own templar (so host variables that are templates themselves and
vaulted values work). A value rendered from a secret variable (vaulted, or named ``vault_*``, or
a template over one) is added to the item's ``no_log_values``, so it is censored from every output.

The task sets the templar for the time of its run (:func:`rendering`); the loader asks for it
(:func:`renderer`) when a directory's ``org.yml`` says ``templated: true``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import threading

from ansible_collections.genesys.cloud.plugins.plugin_utils import org_files as of

_CONTEXT = threading.local()
MARKERS = ("{{", "{%", "{#")
SECRET_TYPES = ("AnsibleVaultEncryptedUnicode", "EncryptedString")


@contextlib.contextmanager
def rendering(templar, variables):
    """Within this block, templated org directories render with ``templar`` over ``variables``."""
    previous = getattr(_CONTEXT, "value", None)
    _CONTEXT.value = (templar, variables)
    try:
        yield
    finally:
        _CONTEXT.value = previous


def renderer(org_yml):
    """A ``render(path, data) -> (data, secrets, problems)`` for a templated directory, or the problem."""
    context = getattr(_CONTEXT, "value", None)
    if context is None:
        return ("%s: templated: true needs the genesys.cloud.org task, which renders the files with the "
                "inventory host's variables" % org_yml)
    return Renderer(*context).render_item


def _vault_tag():
    try:
        from ansible._internal._datatag._tags import VaultedValue
        return VaultedValue
    except ImportError:  # ansible-core before 2.19: vaulted values are AnsibleVaultEncryptedUnicode
        return None


def holds_secret(value, depth=0):
    """Whether a variable's value is (or holds) a vaulted value."""
    if type(value).__name__ in SECRET_TYPES:
        return True
    tag = _vault_tag()
    if tag is not None and tag.is_tagged_on(value):
        return True
    if depth > 20:
        return False
    if isinstance(value, dict):
        return any(holds_secret(v, depth + 1) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(holds_secret(v, depth + 1) for v in value)
    return False


def _is_data(value, depth=0):
    """Plain data (text, numbers, lists, mappings) as inventory variables hold it; not hostvars and the like."""
    if value is None or isinstance(value, (str, int, float, bool)) or type(value).__name__ in SECRET_TYPES:
        return True
    if depth > 20:
        return False
    if isinstance(value, dict):
        return all(_is_data(v, depth + 1) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(_is_data(v, depth + 1) for v in value)
    return False


def plain(value):
    """A resolved variable as plain Python data (vaulted strings decrypted to ``str``)."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dict):
        return dict((plain(k), plain(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


# The most characters (or items) any value made while rendering may have: a file's templates can
# neither loop nor grow a value past this, so rendering ends fast with bounded memory.
MAX_SIZE = 64 * 1024
SIMPLE_FILTERS = ("default", "d", "lower", "upper", "capitalize", "title", "trim", "string", "int", "float",
                  "length", "count", "first", "last", "urlencode")


def _size(value):
    return len(value) if isinstance(value, (str, list, tuple, dict)) else len(str(value))


def _check(size, what):
    from jinja2.exceptions import SecurityError
    if size > MAX_SIZE:
        raise SecurityError("%s would make a value of more than %d characters" % (what, MAX_SIZE))


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


def _environment():
    """Jinja2's immutable sandbox, narrowed for untrusted files: no globals (``range``, ``lipsum``), no
    methods of values (``'x'.ljust(10**9)``, ``str.format``), a few filters, and no operator that can
    grow a value past ``MAX_SIZE``. Statements (``{% for %}``) are refused before rendering."""
    from jinja2 import StrictUndefined
    from jinja2.exceptions import SecurityError
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
                raise SecurityError("the operator %s is only for numbers in org files" % operator)
            if operator == "**" and (abs(right) > 64 or abs(left) > 10 ** 6):
                raise SecurityError("a power too large for an org file")
            return super(OrgFileEnvironment, self).call_binop(context, operator, left, right)

    env = OrgFileEnvironment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
    env.globals.clear()
    filters = dict((name, env.filters[name]) for name in SIMPLE_FILTERS)
    filters.update(replace=_replace, join=_join)
    env.filters = filters
    env.tests = dict((name, env.tests[name]) for name in ("defined", "undefined", "none", "string", "number"))
    return env


class Renderer:
    """Renders the string values of one directory's items; names are resolved once per run."""

    def __init__(self, templar, variables):
        self.templar = templar
        self.variables = variables
        self.env = _environment()
        self.values = {}
        self.secret = {}

    def names(self, text):
        from jinja2 import meta
        return set(meta.find_undeclared_variables(self.env.parse(text))) - set(self.env.globals)

    def is_secret(self, name, depth=0):
        if name not in self.secret:
            raw = self.variables.get(name)
            secret = name.startswith("vault_") or holds_secret(raw)
            if not secret and isinstance(raw, str) and any(m in raw for m in MARKERS) and depth < 10:
                try:
                    secret = any(self.is_secret(inner, depth + 1) for inner in self.names(raw))
                except Exception:  # a host variable Jinja cannot parse: treat it as secret, to be safe
                    secret = True
            self.secret[name] = secret
        return self.secret[name]

    def value(self, name):
        if name not in self.values:
            self.values[name] = plain(self.templar.template(self.variables[name]))
        return self.values[name]

    def render_text(self, text):
        """``(rendered, secret)``; raises ValueError with a message naming the variable."""
        from jinja2 import TemplateError
        if "{%" in text:
            raise ValueError("{% statements %} are not allowed in org files, only {{ expressions }}")
        try:
            names = self.names(text)
        except TemplateError as exc:
            raise ValueError("not a valid template (%s)" % of.shorten(str(exc)))
        missing = sorted(name for name in names if name not in self.variables)
        if missing:
            raise ValueError("undefined variable %s (not a variable of the inventory host)"
                             % ", ".join(of.shorten(name) for name in missing))
        odd = sorted(name for name in names if not _is_data(self.variables[name]))
        if odd:
            raise ValueError("variable %s is not plain data (hostvars and the like cannot be used in org files)"
                             % ", ".join(odd))
        try:
            context = dict((name, self.value(name)) for name in names)
            rendered = self.env.from_string(text).render(context)
        except Exception as exc:  # undefined attributes, sandbox refusals, errors of the variables
            raise ValueError("cannot be rendered (%s)" % of.shorten(str(exc), 200))
        if len(rendered) > MAX_SIZE:
            raise ValueError("renders to more than %d characters" % MAX_SIZE)
        return rendered, any(self.is_secret(name) for name in names)

    def render_item(self, path, data):
        """``(data, secrets, problems)``: ``data`` with every string value rendered."""
        secrets, problems = set(), []

        def walk(value, where):
            if isinstance(value, dict):
                return dict((key, walk(inner, where + [str(key)])) for key, inner in value.items())
            if isinstance(value, list):
                return [walk(inner, where + [str(index)]) for index, inner in enumerate(value)]
            if not isinstance(value, str) or not any(marker in value for marker in MARKERS):
                return value
            try:
                rendered, secret = self.render_text(value)
            except ValueError as exc:
                problems.append("%s: %s%s: %s" % (path, _line(path, value), ".".join(where), exc))
                return value
            if secret and rendered:
                secrets.add(rendered)
            return rendered

        return walk(data, []), secrets, problems


def _line(path, value):
    """``line N: `` of the first line of ``value`` in the file, when it can be found."""
    try:
        text = of.read_text(path, "records_yaml")
    except of.FileProblem:
        return ""
    first = value.split("\n", 1)[0]
    position = text.find(first)
    return "line %d: " % (text[:position].count("\n") + 1) if position >= 0 and first else ""
