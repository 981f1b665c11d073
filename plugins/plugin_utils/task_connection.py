# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every action plugin of the collection asks of its task before it talks to an org.

:func:`task_connection` is the one place an action works out its connection settings (see
``session.resolve_connection`` for the order). :func:`trace_sink` says where the request trace
of a task goes: Display at ``-vvv`` (record keys at ``-vvvv``), or always with the task variable
``genesys_trace: true`` or the environment variable ``GENESYSCLOUD_TRACE``; and, when the
``genesys.cloud.audit`` callback has a ``trace_file``, appended to that file too.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import os
import time

from ansible.module_utils.parsing.convert_bool import boolean
from ansible.utils.display import Display

from ansible_collections.genesys.cloud.plugins.module_utils.trace import TRACE_ENV, TRACE_VAR, trace_line
from ansible_collections.genesys.cloud.plugins.plugin_utils.session import resolve_connection

display = Display()

# Set by the genesys.cloud.audit callback (option trace_file) in the main process; workers inherit it.
TRACE_FILE_ENV = "GENESYSCLOUD_TRACE_FILE"
GROUP = "group/genesys.cloud.all"


def task_environment(action):
    """The task's ``environment:``, templated, as a dict (what a module process would get on top of its own)."""
    environment = {}
    action._compute_environment_string(environment)
    return dict((str(name), str(value)) for name, value in environment.items())


def module_defaults(task, templar, module_name):
    """What ``module_defaults`` (the group ``genesys.cloud.all`` or the module's own name) give this task."""
    found = {}
    for layer in getattr(task, "module_defaults", None) or []:
        if not isinstance(layer, dict):
            continue
        for name in sorted(layer, key=lambda key: not key.startswith("group/")):
            if name in (GROUP, "group/all") or name.split(".")[-1] == module_name:
                values = layer[name] or {}
                if isinstance(values, dict):
                    found.update(values)
    try:
        return templar.template(found) if found else {}
    except Exception:  # pylint: disable=broad-except
        return {}  # a default that cannot be templated here counts as the task's own


def task_connection(action, module_name, args=None):
    """``(options, origins, environment)`` for the task of ``action``: its connection options resolved
    (task, module_defaults, task environment, controller environment) and its ``environment:``."""
    environment = task_environment(action)
    options, origins = resolve_connection(
        action._task.args if args is None else args,
        defaults=module_defaults(action._task, action._templar, module_name),
        task_environment=environment, environ=os.environ)
    return options, origins, environment


@contextlib.contextmanager
def applied_environment(extra):
    """The task's ``environment:`` in ``os.environ`` for an in-process run, as a module process would see
    it (proxy and CA bundle variables, say); restored afterwards (loop items share a worker)."""
    saved = dict((name, os.environ.get(name)) for name in extra)
    os.environ.update(dict((name, str(value)) for name, value in extra.items()))
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _enabled(value):
    try:
        return boolean(value, strict=False)
    except TypeError:
        return False


class TraceSink:
    """Takes trace events (or finished lines) of one task and shows / writes them."""

    def __init__(self, label, forced, path, verbosity):
        self.label = label
        self.forced = forced
        self.path = path
        self.verbosity = verbosity
        self.show_keys = verbosity >= 4

    def __call__(self, event):
        self.line(trace_line(event, self.show_keys))

    def line(self, text):
        if self.verbosity >= 3:
            display.vvv(text, host=self.label)
        elif self.forced:
            display.display("%s: %s" % (self.label, text))
        if self.path:
            self._append(text)

    def _append(self, text):
        entry = "%s %s %s\n" % (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), self.label, text)
        try:
            handle = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(handle, entry.encode("utf-8"))
            finally:
                os.close(handle)
        except OSError as exc:
            display.warning("genesys.cloud trace: cannot append to the trace_file %s: %s" % (
                self.path, exc.strerror or exc))
            self.path = None


def trace_sink(task_vars, label, environment=None):
    """The sink of a task's request trace, or None when nothing asks for one."""
    forced = _enabled((task_vars or {}).get(TRACE_VAR)) or _enabled(
        (environment or {}).get(TRACE_ENV) or os.environ.get(TRACE_ENV))
    path = os.environ.get(TRACE_FILE_ENV) or None
    if display.verbosity < 3 and not forced and not path:
        return None
    return TraceSink(label, forced, path, display.verbosity)
