# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Values per org: string values of a ``templated: true`` directory's files, rendered from the values
the inventory exposes to org files on purpose.

The files are untrusted (a pull request's author writes them, and a preview runs them with the org's
credentials). Templates see only the keys of the host variable ``genesys_org_vars``, by their plain
names (``{{ region_label }}`` reads ``genesys_org_vars.region_label``): no connection variable, no
other host variable, no ``environment``, no lookups. Each key is resolved by the ``genesys.cloud.org``
task's own templar (so the inventory may write a key as a template over its other variables, or as a
vaulted value).

A key whose value is a secret (vaulted, named ``vault_*``, or a template over such a variable or a
connection secret) may only be inserted as it is into a secret field (a webhook's ``secret``, a
header value). Whether a template may be rendered is decided from its syntax tree before rendering
(``org_template_rules``), so no refusal or error depends on a secret's value; no message shows a
rendered value. A rendered secret field, and the secrets it holds, join the item's ``no_log_values``.

The task sets the templar for the time of its run (:func:`rendering`); the loader asks for it
(:func:`renderer`) when a directory's ``org.yml`` says ``templated: true``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import os
import re
import threading

from ansible_collections.genesys.cloud.plugins.plugin_utils import org_files as of
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_template_rules as rules

_CONTEXT = threading.local()
MARKERS = ("{{", "{%", "{#")
SECRET_TYPES = ("AnsibleVaultEncryptedUnicode", "EncryptedString")
EXPOSED_VARIABLE = rules.EXPOSED_VARIABLE
MAX_SIZE = rules.MAX_SIZE
# Host variables a template in ``genesys_org_vars`` may read that count as secrets by their name alone.
SECRET_NAME = re.compile(r"^vault_|secret|token|passw|private_key", re.IGNORECASE)
# Names through which a template of the inventory can reach anything: what they give counts as secret.
REACHES_ANYTHING = ("hostvars", "vars", "lookup", "query", "q", "environment", "ansible_env", "groups")
MAX_DEPTH = 10
NOT_DATA = "%s.%s is not plain data (hostvars and the like cannot be used in org files)"


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
                "values of the inventory host's %s" % (org_yml, EXPOSED_VARIABLE))
    exposed = Exposed(*context)
    if exposed.problem:
        return "%s: templated: true: %s" % (org_yml, exposed.problem)
    return Renderer(exposed).render_item


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


def _strings(value, depth=0):
    """The non-empty strings a value holds."""
    if isinstance(value, str):
        return [value] if value else []
    if depth > 20:
        return []
    if isinstance(value, dict):
        return [text for inner in value.values() for text in _strings(inner, depth + 1)]
    if isinstance(value, (list, tuple)):
        return [text for inner in value for text in _strings(inner, depth + 1)]
    return []


def _has_template(value):
    return isinstance(value, str) and any(marker in value for marker in MARKERS)


class Exposed:
    """The values exposed to org files: the keys of ``genesys_org_vars``, each resolved once per run."""

    def __init__(self, templar, variables):
        from jinja2 import Environment
        self.templar = templar
        self.variables = variables
        self.parser = Environment()  # parses the inventory's own templates (never renders them)
        self.problem = None
        self.values = {}
        self.secret = {}
        self.host_secret = {}
        self.all_secret = False
        raw = variables.get(EXPOSED_VARIABLE)
        if _has_template(raw):  # the whole mapping written as a template (a combine of two dicts)
            self.all_secret = self.reads_secret(raw)
            try:
                raw = templar.template(raw)
            except Exception as exc:  # the inventory's error: its class only, it may quote values
                raw, self.problem = None, "the inventory variable %s cannot be resolved (%s)" % (
                    EXPOSED_VARIABLE, type(exc).__name__)
        if raw is not None and not isinstance(raw, dict):
            self.problem = ("the inventory variable %s must be a mapping of names to the values org files may "
                            "use, not a %s" % (EXPOSED_VARIABLE, type(raw).__name__))
        self.raw = dict((str(name), value) for name, value in raw.items()) if isinstance(raw, dict) else {}
        self.names = frozenset(self.raw)

    def reads_secret(self, raw, depth=0):
        """Whether a template of the inventory (anywhere in ``raw``) reads a secret host variable."""
        if depth > MAX_DEPTH:
            return True
        for text in _strings(raw):
            if not _has_template(text):
                continue
            try:
                names = rules.read_names(self.parser.parse(str(text)))
            except Exception:  # a template Jinja cannot parse here: treat it as secret, to be safe
                return True
            if any(self.is_host_secret(name, depth + 1) for name in names):
                return True
        return False

    def is_host_secret(self, name, depth):
        if name not in self.host_secret:
            raw = self.variables.get(name)
            self.host_secret[name] = bool(SECRET_NAME.search(name) or name in REACHES_ANYTHING or holds_secret(raw)
                                          or self.reads_secret(raw, depth))
        return self.host_secret[name]

    def is_secret(self, name):
        """Whether the key ``name`` is (or holds) a secret; decided without rendering any org file."""
        if name not in self.secret:
            raw = self.raw.get(name)
            secret = name.startswith("vault_") or self.all_secret or holds_secret(raw) or self.reads_secret(raw)
            if not secret and any(_has_template(text) for text in _strings(raw)):  # vaulted once resolved?
                try:
                    secret = holds_secret(self.resolve(name))
                except ValueError:
                    secret = False  # reported when the value is asked for
            self.secret[name] = secret
        return self.secret[name]

    def resolve(self, name):
        """The value of the key ``name`` as the task's templar resolves it (raises ValueError)."""
        if name not in self.values:
            if not _is_data(self.raw[name]):
                raise ValueError(NOT_DATA % (EXPOSED_VARIABLE, name))
            try:
                self.values[name] = self.templar.template(self.raw[name])
            except Exception as exc:  # the inventory's error: its class only, it may quote values
                raise ValueError("%s.%s cannot be resolved by the inventory (%s); check it with "
                                 "ansible -m debug -a var=%s" % (EXPOSED_VARIABLE, name, type(exc).__name__,
                                                                 EXPOSED_VARIABLE))
        return self.values[name]

    def value(self, name):
        """The resolved value as plain data (raises ValueError)."""
        value = self.resolve(name)
        if not _is_data(value):
            raise ValueError(NOT_DATA % (EXPOSED_VARIABLE, name))
        return plain(value)


def _secret_fields(kind):
    """``{option: depth}`` of the no_log options of the module of ``kind`` (``depth`` 1: the option's
    own value, ``2``: each value of the mapping it holds, such as a header value)."""
    from ansible_collections.genesys.cloud.plugins.plugin_utils import org_directory as od
    if kind not in od.KINDS:
        return {}
    spec = od.item_spec(kind)
    return dict((option, 2 if spec[option].get("type") in ("dict", "list") else 1)
                for option in od.allowed_keys(kind) if spec[option].get("no_log"))


def _render_error(exc):
    """A message for a rendering error that shows no value (Jinja's messages may quote one)."""
    from jinja2.exceptions import SecurityError, UndefinedError
    if isinstance(exc, rules.Limit):
        return str(exc)
    if isinstance(exc, SecurityError):
        return "uses an operation org files do not allow (methods and attributes of values)"
    if isinstance(exc, UndefinedError):
        return "reads a key or attribute that its value does not have"
    return "an operation over its values failed (%s)" % type(exc).__name__


class Renderer:
    """Renders the string values of one directory's items."""

    def __init__(self, exposed):
        self.exposed = exposed
        self.env = rules.environment()
        self.fields = {}

    def is_secret_field(self, kind, where):
        if kind not in self.fields:
            self.fields[kind] = _secret_fields(kind)
        return bool(where) and self.fields[kind].get(where[0]) == len(where)

    def render_text(self, text, secret_field=False):
        """``(rendered, secret_values)``; raises ValueError with a message that holds no value."""
        from jinja2 import TemplateError
        if "{%" in text:
            raise ValueError("{% statements %} are not allowed in org files, only {{ expressions }}")
        try:
            tree = self.env.parse(text)
        except TemplateError as exc:
            raise ValueError("not a valid template (%s)" % of.shorten(str(exc)))
        names = rules.read_names(tree)
        secret = set(name for name in names if name in self.exposed.names and self.exposed.is_secret(name))
        problem = rules.refusal(self.env, tree, names, self.exposed.names, secret, secret_field)
        if problem:
            raise ValueError(problem)
        context = dict((name, self.exposed.value(name)) for name in names)
        try:
            rendered = self.env.from_string(tree).render(context)
        except Exception as exc:  # undefined keys, sandbox refusals, limits
            raise ValueError("cannot be rendered: %s" % _render_error(exc))
        if len(rendered) > MAX_SIZE:
            raise ValueError("renders to more than %d characters" % MAX_SIZE)
        secrets = set(text for name in secret for text in _strings(context[name]))
        return rendered, (secrets | {rendered}) if secret and rendered else secrets

    def render_item(self, path, data):
        """``(data, secrets, problems)``: ``data`` with every string value rendered."""
        secrets, problems = set(), []
        kind = os.path.basename(os.path.dirname(path))

        def walk(value, where):
            if isinstance(value, dict):
                return dict((key, walk(inner, where + [str(key)])) for key, inner in value.items())
            if isinstance(value, list):
                return [walk(inner, where + [str(index)]) for index, inner in enumerate(value)]
            if not _has_template(value):
                return value
            try:
                rendered, found = self.render_text(value, self.is_secret_field(kind, where))
            except ValueError as exc:
                problems.append("%s: %s%s: %s" % (path, _line(path, value), ".".join(where), exc))
                return value
            secrets.update(found)
            return rendered

        return walk(data, []), secrets, problems


def _line(path, value):
    """``line N: `` of the first line of ``value`` in the file, when it can be found."""
    try:
        text = of.read_text(path, of.LARGEST)
    except of.FileProblem:
        return ""
    first = value.split("\n", 1)[0]
    position = text.find(first)
    return "line %d: " % (text[:position].count("\n") + 1) if position >= 0 and first else ""
