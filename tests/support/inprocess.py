"""Run a module's ``main()`` in this process: for suites of many cases where a playbook each is too slow.

ansible-core documents ``ansible.module_utils.testing.patch_module_args`` for this: the module reads
its arguments from it, prints its JSON result and exits; :func:`run_module` returns that result.
Keep a few real-playbook tests for each headline behaviour; this is for generated cases.
"""
import contextlib
import importlib
import io
import json

from ansible.module_utils.common import warnings as module_warnings
from ansible.module_utils.testing import patch_module_args


def run_module(name, args, check_mode=False, diff=False):
    """The result dict of ``genesys.cloud.<name>`` run with ``args``; ``failed`` is set on failure."""
    module = importlib.import_module("ansible_collections.genesys.cloud.plugins.modules." + name)
    args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)
    out = io.StringIO()
    module_warnings._global_warnings.clear()
    module_warnings._global_deprecations.clear()
    with patch_module_args(args), contextlib.redirect_stdout(out):
        try:
            module.main()
        except SystemExit:
            pass
    text = out.getvalue()
    assert text.strip(), "the module printed no result"
    return json.loads(text[text.index("{"):])
