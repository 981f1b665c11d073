"""Modules run through pytest-ansible's ``ansible_module`` fixture (Ansible's own module runner).

pytest-ansible ignores check mode, so check-mode behaviour is tested through playbooks elsewhere.
"""
import sys

import pytest

pytestmark = pytest.mark.ansible(inventory="localhost,", host_pattern="localhost", connection="local")


@pytest.fixture(autouse=True)
def local_interpreter(monkeypatch):
    monkeypatch.setenv("ANSIBLE_PYTHON_INTERPRETER", sys.executable)


def test_schema_info_reads_what_the_org_holds(ansible_module, emulator):
    emulator.create_schema("accounts", [{"name": "accountNumber", "type": "string", "unique": True}])
    contacted = getattr(ansible_module, "genesys.cloud.flex_schema_info")(name="accounts", **emulator.connection)
    result = contacted["localhost"]
    assert not result.get("failed"), result
    assert [schema["name"] for schema in result["schemas"]] == ["accounts"]
    assert result["schemas"][0]["fields"][0]["unique"] is True


def test_webhook_module_creates_once(ansible_module, emulator):
    webhook = getattr(ansible_module, "genesys.cloud.webhook")
    args = dict(name="audit", endpoint="https://hooks.example.com/genesys", event_types=["data.flex.schema.updated"],
                **emulator.connection)
    first = webhook(**args)["localhost"]
    second = webhook(**args)["localhost"]
    assert first["changed"] is True and second["changed"] is False
    assert [hook["name"] for hook in emulator.webhooks()] == ["audit"]
