# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a module's logic inside a controller-side plugin, over a client the plugin keeps.

Every module declares ``ARGUMENTS`` and ``run(module, client, trail)`` (see module_utils/runner.py).
:func:`run_module_in_process` validates a task's arguments against the same ``ARGUMENTS`` as
AnsibleModule would (types, defaults, choices, environment fallbacks, constraints), hands ``run``
a :class:`TaskModule` in place of AnsibleModule, and censors ``no_log`` values from the result as
``exit_json`` would. No new process, no AnsiballZ file, and the client (its token, its pacer) can
outlive the task.

``client`` is a client, or a callable that builds one from the validated parameters and the
module's extra client settings (``client_for`` in ``session.py`` is one): the client is then built
only for valid arguments, with what the module asks for (``client_options(params)``, a module-level
function such as the records module's pool size), and a configuration error (no credentials)
becomes a failed result like the module's.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError

from ansible_collections.genesys.cloud.plugins.module_utils.errors import GenesysCloudError
from ansible_collections.genesys.cloud.plugins.module_utils.runner import execute
from ansible_collections.genesys.cloud.plugins.plugin_utils.censor import censor

MODULE_UTILS_PACKAGE = "ansible_collections.genesys.cloud.plugins.module_utils."
# Where a module's ``ARGUMENTS``, ``run`` (and ``client_options``) live: in module_utils, beside its resource.
TASKS = {
    "custom_object_records": "records_resource",
    "custom_object_record_info": "record_info",
    "datatable": "kinds.datatable.task",
    "datatable_info": "kinds.datatable.info",
    "datatable_rows": "kinds.datatable_rows.task",
    "flex_schema": "flex_schema_apply",
    "flex_schema_info": "schema_info",
    "webhook": "webhook_apply",
    "webhook_info": "webhook_info",
    "workitem_schema": "kinds.workitem_schema.task",
    "workitem_schema_info": "kinds.workitem_schema.info",
    "trigger": "kinds.trigger.task",
    "trigger_info": "kinds.trigger.info",
}


class ModuleFailed(Exception):
    """``fail_json`` of a :class:`TaskModule`: carries the failure result."""

    def __init__(self, result):
        super(ModuleFailed, self).__init__(result.get("msg"))
        self.result = result


class TaskModule:
    """What a module's ``run`` uses of AnsibleModule, for a task run on the controller.

    ``progress`` (optional) takes one human-readable line; long-running modules call it through
    ``getattr(module, "progress", None)``, which a real AnsibleModule does not have.
    """

    def __init__(self, params, check_mode=False, diff=False, progress=None):
        self.params = params
        self.check_mode = check_mode
        self._diff = diff
        self.warnings = []
        if progress is not None:
            self.progress = progress

    def warn(self, warning):
        self.warnings.append(warning)

    def fail_json(self, msg, **kwargs):
        result = dict(kwargs)
        result.update(msg=msg, failed=True)
        raise ModuleFailed(result)


def load_module(name):
    """The task code of module ``name`` (``flex_schema``): the module_utils file with its ``ARGUMENTS`` and
    ``run``. Module files hold only docs and a call, and no plugin imports them."""
    return importlib.import_module(MODULE_UTILS_PACKAGE + TASKS[name])


# id(ARGUMENTS) -> (ARGUMENTS, its validator): the dict is kept, so its id cannot be reused by another one.
_VALIDATORS = {}
MAX_VALIDATORS = 32


def argument_validator(arguments):
    """The validator of one ``ARGUMENTS`` dict, built once: a whole-org load validates thousands of items
    against three of them. ``validate`` keeps no state between calls; a new dict gets its own validator."""
    cached = _VALIDATORS.get(id(arguments))
    if cached is None or cached[0] is not arguments:
        if len(_VALIDATORS) >= MAX_VALIDATORS:  # dicts built per call (tests) must not pile up
            _VALIDATORS.clear()
        constraints = dict((key, value) for key, value in arguments.items() if key != "supports_check_mode")
        cached = _VALIDATORS[id(arguments)] = (arguments, ArgumentSpecValidator(**constraints))
    return cached[1]


def validate_arguments(arguments, args):
    """``(params, no_log_values, errors)`` for a task's ``args`` checked against a module's ``ARGUMENTS``."""
    validation = argument_validator(arguments).validate(dict(args))
    return validation.validated_parameters, validation._no_log_values, validation.error_messages


def argument_failure_message(errors, module_label):
    """What AnsibleModule's ``fail_json`` says for these validation ``errors`` (an ``AnsibleValidationErrorMultiple``).

    AnsibleModule reports the first problem only, and words an unknown option as
    ``Unsupported parameters for (genesys.cloud.flex_schema) module: foo. Supported parameters include: ...``,
    ``module_label`` being the module's name as the task wrote it; a task run in-process must read the same.
    """
    first = errors[0]
    if isinstance(first, UnsupportedError):
        return "Unsupported parameters for (%s) module: %s" % (module_label, errors.msg)
    return errors.msg


def run_module_in_process(name, args, client, check_mode=False, diff=False, progress=None, module_label=None):
    """The result a task of module ``name`` would return, computed here over ``client``.

    ``client`` is a client whose ``read_only`` already matches ``check_mode``, or a factory
    ``client(params, check_mode, **client_options)`` called once the arguments are valid. Invalid
    arguments give a failed result before any request, worded as AnsibleModule words it (see
    :func:`argument_failure_message`; ``module_label`` is the task's action, ``genesys.cloud.<name>``
    by default). The result has ``invocation`` (the censored parameters) as a module's has.
    """
    module_code = load_module(name)
    validation = argument_validator(module_code.ARGUMENTS).validate(dict(args))
    params, no_log_values = validation.validated_parameters, validation._no_log_values
    if validation.error_messages:
        msg = argument_failure_message(validation.errors, module_label or "genesys.cloud." + name)
        return remove_values(dict(failed=True, changed=False, msg=msg), no_log_values)
    if callable(client):
        options = getattr(module_code, "client_options", None)
        try:
            client = client(params, check_mode, **(options(params) if options else {}))
        except GenesysCloudError as exc:
            result = exc.to_result()
            result.update(failed=True, changed=False, invocation=dict(module_args=params))
            return remove_values(result, no_log_values)
    result = run_validated(module_code.run, params, no_log_values, client, check_mode, diff, progress)
    result["invocation"] = remove_values(dict(module_args=params), no_log_values)
    return result


def run_validated(run, params, no_log_values, client, check_mode=False, diff=False, progress=None):
    """``run(module, client, trail)`` over parameters already validated (:func:`validate_arguments`),
    with the result censored of ``no_log_values``; what a whole-org run calls per object."""
    task_module = TaskModule(params, check_mode=check_mode, diff=diff, progress=progress)
    try:
        result = execute(task_module, run, client)
    except ModuleFailed as failed:
        result = failed.result
    if task_module.warnings:
        result["warnings"] = result.get("warnings", []) + task_module.warnings
    return censor(result, no_log_values)
