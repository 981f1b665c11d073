"""Every module documents `metrics` and `audit` with their keys, the same way."""
import ast
import os

import pytest
import yaml

from ansible_collections.genesys.cloud.plugins.module_utils.transport import Metrics

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODULES = os.path.join(REPO, "plugins", "modules")
AUDIT_KEYS = {"time", "org", "resource", "name", "id", "action", "outcome", "latency_ms", "requests",
              "correlation_id", "error"}


def return_docs(name):
    with open(os.path.join(MODULES, name)) as handle:
        tree = ast.parse(handle.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "RETURN":
            return yaml.safe_load(node.value.value)
    raise AssertionError("%s has no RETURN" % name)


@pytest.mark.parametrize("name", sorted(n for n in os.listdir(MODULES) if n.endswith(".py")))
def test_metrics_and_audit_are_documented_with_their_keys(name):
    docs = return_docs(name)
    metrics = docs["metrics"]
    # Modules return metrics always; an action that refuses its input before building a client cannot.
    assert metrics["type"] == "dict" and metrics["returned"] in ("always", "success", "unless the definition is invalid")
    # What runner.run_module returns: the client's counters, its wall-clock seconds and the org.
    # The whole-org run names the org too (GET /api/v2/organizations/me).
    named = {"org_id", "org_name"} if name == "org.py" else set()
    assert set(metrics["contains"]) == set(Metrics.FIELDS) | {"seconds", "org"} | named
    audit = docs["audit"]
    assert audit["type"] == "list" and audit["elements"] == "dict"
    if "contains" not in audit:
        assert "always empty" in str(audit["description"]).lower(), "%s: audit needs its keys" % name
    else:
        assert AUDIT_KEYS <= set(audit["contains"])
