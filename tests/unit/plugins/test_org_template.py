"""Templated org directories (org_template): only the keys of ``genesys_org_vars`` are exposed, and a vaulted
value is inserted only, as it is, into a secret field; everything else is refused before rendering.

The variables are resolved by ansible-core's own Templar with real vaulted values, as the
``genesys.cloud.org`` task resolves them.
"""
import os
import time

import pytest
from ansible.parsing.dataloader import DataLoader
from ansible.parsing.vault import EncryptedString, VaultLib, VaultSecret, VaultSecretsContext
from ansible.template import Templar

from ansible_collections.genesys.cloud.plugins.plugin_utils import org_directory as od
from ansible_collections.genesys.cloud.plugins.plugin_utils import org_template

try:
    from ansible._internal._datatag._tags import TrustedAsTemplate
except ImportError:  # ansible-core before 2.19: every string of the inventory is a template
    TrustedAsTemplate = None

VAULT_SECRET = VaultSecret(b"org-template-tests")
HOOK = "name: hook\nendpoint: \"https://crm.example/in\"\nevent_types: [customobjects.records.changed]\n"


@pytest.fixture(autouse=True)
def vault_password(monkeypatch):
    """The vault password of the run, as ansible-playbook --vault-password-file sets it."""
    monkeypatch.setattr(VaultSecretsContext, "_current", VaultSecretsContext(secrets=[("default", VAULT_SECRET)]))


def vaulted(text):
    """``text`` as an inventory's ``!vault`` value is loaded."""
    return EncryptedString(ciphertext=VaultLib([("default", VAULT_SECRET)]).encrypt(text).decode())


def inventory(value):
    """Host variables as the inventory loads them: its strings may be templates."""
    if isinstance(value, dict):
        return dict((key, inventory(inner)) for key, inner in value.items())
    if isinstance(value, list):
        return [inventory(inner) for inner in value]
    if isinstance(value, str) and "{{" in value and TrustedAsTemplate is not None and type(value) is str:
        return TrustedAsTemplate().tag(value)
    return value


class RecordingTemplar:
    """The task's templar, recording what it was asked to resolve."""

    def __init__(self, variables):
        self.templar = Templar(loader=DataLoader(), variables=variables)
        self.asked = []

    def template(self, value):
        self.asked.append(value)
        return self.templar.template(value)


def write(root, files):
    for name, text in files.items():
        path = os.path.join(str(root), name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as handle:
            handle.write(text)
    return str(root)


def load(directory, **host_vars):
    variables = inventory(host_vars)
    templar = RecordingTemplar(variables)
    with org_template.rendering(templar, variables):
        org = od.load_org(directory)
    org["templar"] = templar
    return org


def problems_of(directory, **host_vars):
    with pytest.raises(od.OrgDirectoryError) as caught:
        load(directory, **host_vars)
    return caught.value.problems


def templated(tmp_path, files):
    return write(tmp_path, dict(files, **{"org.yml": "templated: true\n"}))


def schema(name, description):
    return "name: %s\ndescription: %s\n" % (name, quoted(description))


def quoted(text):
    return '"%s"' % text.replace("\\", "\\\\").replace('"', '\\"')


TOKEN = "t0ken-9f3c"


def test_templates_read_the_keys_of_genesys_org_vars_by_their_plain_names(tmp_path):
    directory = templated(tmp_path, {
        "schemas/a.yml": schema("a", "{{ region_label }} stores, {{ crm.name | upper }} ({{ team }})"),
        "webhooks/hook.yml": HOOK.replace("https://crm.example", "{{ crm.url }}")})
    org = load(directory, team_name="support", genesys_org_vars={
        "region_label": "EU", "crm": {"name": "acme", "url": "https://crm.eu.example"}, "team": "{{ team_name }}"})
    assert org["schemas"][0].params["description"] == "EU stores, ACME (support)"
    assert org["webhooks"][0].params["endpoint"] == "https://crm.eu.example/in"
    assert org["schemas"][0].no_log_values == set() and org["webhooks"][0].no_log_values == set()


@pytest.mark.parametrize("template, name", [
    ("{{ genesys_client_secret }}", "genesys_client_secret"),
    ("{{ genesys_access_token | default('') }}", "genesys_access_token"),
    ("{{ environment }}", "environment"),
    ("{{ outside }}", "outside"),
    ("{{ hostvars['localhost'].genesys_client_secret }}", "hostvars"),
    ("{{ vars.genesys_client_secret }}", "vars"),
    ("{{ lookup('env', 'HOME') }}", "lookup"),
    ("{{ query('env', 'HOME') }}", "query"),
    ("{{ genesys_org_vars.region_label }}", "genesys_org_vars"),
    ("{{ self }}", "self"),
])
def test_a_name_outside_genesys_org_vars_is_refused_as_not_exposed_without_its_value(tmp_path, template, name):
    directory = templated(tmp_path, {"schemas/a.yml": "name: a\n# the description\ndescription: %s\n" % quoted(template)})
    problems = problems_of(directory, genesys_client_secret="conn-s3cret", genesys_access_token="conn-t0ken",
                           environment=[{"SPY": "env-canary"}], outside="outside-value",
                           genesys_org_vars={"region_label": "EU"})
    assert problems == ["%s: line 3: description: %s not exposed to org files: templates read only the keys of the "
                        "inventory variable genesys_org_vars (add the value there, under a plain name)"
                        % (os.path.join(directory, "schemas", "a.yml"), name)]
    for value in ("conn-s3cret", "conn-t0ken", "env-canary", "outside-value"):
        assert value not in problems[0]


def test_without_genesys_org_vars_nothing_is_exposed_and_a_value_that_is_no_mapping_is_refused(tmp_path):
    directory = templated(tmp_path, {"schemas/a.yml": schema("a", "{{ region_label }}")})
    assert "region_label not exposed to org files" in problems_of(directory, region_label="EU")[0]
    assert problems_of(directory, genesys_org_vars=["EU"]) == [
        "%s: templated: true: the inventory variable genesys_org_vars must be a mapping of names to the values "
        "org files may use, not a list" % os.path.join(directory, "org.yml")]


# One reason for every template that reads a vaulted value outside a secret field, whatever it does with it.
OUTSIDE = ("reads the secret vault_token: a vaulted value may only be the value of a secret field (a webhook's "
           "secret or a header value), never of this field")


def oracle_directory(tmp_path):
    """What a pull request would send to learn a secret: fields that fail or not by its characters."""
    fields = "".join("  - {name: f%d, type: %s}\n" % (index, quoted(
        "{{ 'nope' if vault_token[%d] == '%s' else 'string' }}" % (index, char)))
        for index, char in enumerate(TOKEN))
    return templated(tmp_path, {
        "schemas/oracle.yml": "name: oracle\nfields:\n" + fields,
        "schemas/plain.yml": schema("plain", "{{ vault_token }}"),
        "schemas/part.yml": schema("part", "token: {{ vault_token }}"),
        "schemas/join.yml": schema("join", "{{ vault_token | join('.') }}"),
        "schemas/length.yml": schema("length", "{{ vault_token | length }}"),
        "webhooks/hook.yml": HOOK.replace("https://crm.example/in", "https://crm.example/in/{{ vault_token }}")})


def test_a_vaulted_value_outside_a_secret_field_is_refused_identically_before_rendering(tmp_path):
    directory = oracle_directory(tmp_path)
    runs = []
    for token in (TOKEN, "zzzzzzzzzz", ""):
        with pytest.raises(od.OrgDirectoryError) as caught:
            # the inventory exposes its vaulted variable as the docs show (and, before, any host variable was seen)
            variables = inventory(dict(vault_token=vaulted(token), genesys_org_vars=dict(vault_token="{{ vault_token }}")))
            templar = RecordingTemplar(variables)
            with org_template.rendering(templar, variables):
                od.load_org(directory)
        assert templar.asked == []  # the vaulted value was never even decrypted
        runs.append(caught.value.problems)
    assert runs[0] == runs[1] == runs[2]
    reasons = [problem.split(": ", 3)[-1] for problem in runs[0]]
    assert reasons == [OUTSIDE] * (len(TOKEN) + 5), runs[0]
    where = [problem.split(": ")[1:3] for problem in runs[0]]
    assert ["line 2", "description"] in where and ["line %d" % (len(TOKEN) + 2), "fields.%d.type" % (len(TOKEN) - 1)] in where
    assert ["line 2", "endpoint"] in where
    assert TOKEN not in "\n".join(runs[0])


def test_a_key_holding_a_template_over_a_secret_is_a_secret_too(tmp_path):
    directory = templated(tmp_path, {"schemas/a.yml": schema("a", "{{ auth }} and {{ client }} and {{ crm }}")})
    problems = problems_of(directory, vault_hook_token=vaulted(TOKEN), genesys_client_secret="conn-s3cret",
                           settings={"crm": {"key": vaulted("k3y")}, "site": "eu"},
                           genesys_org_vars={"auth": "Bearer {{ vault_hook_token }}",
                                             "client": "{{ genesys_client_secret }}", "crm": "{{ settings.crm }}"})
    assert problems == ["%s: line 2: description: reads the secret auth, client, crm: a vaulted value may only be the "
                        "value of a secret field (a webhook's secret or a header value), never of this field"
                        % os.path.join(directory, "schemas", "a.yml")]


def test_a_vaulted_value_is_accepted_as_a_webhook_secret_and_a_header_value_and_joins_no_log_values(tmp_path):
    directory = templated(tmp_path, {"webhooks/hook.yml": HOOK + (
        "secret: '{{ vault_token }}'\n"
        "headers: {Authorization: 'Bearer {{ vault_token }}', X-Key: '{{ creds.key }}', X-Team: '{{ team }}'}\n")})
    org = load(directory, genesys_org_vars={"vault_token": vaulted(TOKEN), "creds": {"key": vaulted("k3y-2")},
                                            "team": "support"})
    hook = org["webhooks"][0]
    assert hook.params["secret"] == TOKEN
    assert hook.params["headers"] == {"Authorization": "Bearer " + TOKEN, "X-Key": "k3y-2", "X-Team": "support"}
    assert {TOKEN, "Bearer " + TOKEN, "k3y-2"} <= hook.no_log_values


@pytest.mark.parametrize("template", [
    "{{ vault_token | join('.') }}", "{{ vault_token | lower }}", "{{ vault_token[0] }}",
    "{{ 'a' if vault_token[0] == 'c' else 'b' }}", "{{ vault_token ~ 'x' }}", "{{ vault_token is string }}"])
def test_in_a_secret_field_a_vaulted_value_is_only_inserted_as_it_is(tmp_path, template):
    directory = templated(tmp_path, {"webhooks/hook.yml": HOOK + "secret: %s\n" % quoted(template)})
    problems = problems_of(directory, genesys_org_vars={"vault_token": vaulted(TOKEN)})
    assert problems == ["%s: line 4: secret: reads the secret vault_token: insert it as it is ({{ vault_token }}), "
                        "with no filter, condition, test, operator or index over it"
                        % os.path.join(directory, "webhooks", "hook.yml")]


def test_errors_about_templated_values_show_no_rendered_value(tmp_path):
    directory = templated(tmp_path, {"schemas/a.yml": schema("a", "{{ crm[field] }}"),
                                     "schemas/b.yml": schema("b", "{{ crm.missing }}"),
                                     "schemas/c.yml": schema("c", "{{ crm.url + 1 }}")})
    problems = problems_of(directory, genesys_org_vars={"crm": {"url": "https://internal-crm.example"},
                                                        "field": "private-key-name"})
    text = "\n".join(problems)
    assert "a.yml: line 2: description: cannot be rendered: reads a key or attribute that its value does not have" in text
    assert "b.yml: line 2: description: cannot be rendered: reads a key or attribute that its value does not have" in text
    assert "c.yml: line 2: description: cannot be rendered: an operation over its values failed (TypeError)" in text
    assert "private-key-name" not in text and "internal-crm" not in text


def test_templates_are_sandboxed_no_calls_no_python_internals(tmp_path):
    directory = templated(tmp_path, {
        "schemas/a.yml": schema("a", "{{ name.upper() }}"),
        "schemas/b.yml": schema("b", "{{ name.__class__.__mro__ }}"),
        "schemas/c.yml": schema("c", "{{ name['__class__'] }}"),
        "schemas/d.yml": schema("d", "{{ name | b64decode }}")})
    text = "\n".join(problems_of(directory, genesys_org_vars={"name": "x"}))
    assert "a.yml: line 2: description: calls are not allowed in org files (no lookups, functions or methods)" in text
    assert "b.yml: line 2: description: attributes starting with _ are not allowed in org files" in text
    assert "c.yml: line 2: description: keys starting with _ are not allowed in org files" in text
    assert "d.yml: line 2: description: the filter b64decode is not available in org files" in text


def test_templated_without_the_org_task_is_an_error_and_untemplated_directories_are_left_alone(tmp_path):
    directory = templated(tmp_path / "t", {"schemas/a.yml": "name: a\n"})
    assert "org.yml: templated: true needs the genesys.cloud.org task" in str(
        pytest.raises(od.OrgDirectoryError, od.load_org, directory).value)
    untemplated = write(tmp_path / "p", {"schemas/a.yml": schema("a", "{{ vault_token }}")})
    org = load(untemplated, genesys_org_vars={"vault_token": vaulted(TOKEN)})
    assert org["schemas"][0].params["description"] == "{{ vault_token }}"


class HostVarsLike(object):
    """Not plain data, as ansible's hostvars are not."""


def test_template_bombs_are_refused_fast(tmp_path):
    doubling = "'xx'" + "|replace('x', 'xx')" * 40
    bombs = {
        "multiply": ("{{ 'x' * 1000000000 }}", "the operator * is only for numbers"),
        "method": ("{{ 'x'.ljust(999999999) }}", "calls are not allowed"),
        "format": ("{{ '{:>999999999}'.format(1) }}", "calls are not allowed"),
        "loop": ("{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
                 "statements %} are not allowed"),
        "lipsum": ("{{ lipsum(999999) }}", "lipsum not exposed"),
        "doubling": ("{{ %s }}" % doubling, "replace would make a value of more than 65536 characters"),
        "power": ("{{ 9 ** 999999 }}", "a power too large"),
        "join": ("{{ big | join(big | join) }}", "join would make a value of more than 65536 characters"),
        "hostvars": ("{{ other }}", "genesys_org_vars.other is not plain data"),
    }
    files = dict(("schemas/%s.yml" % name, schema(name, template)) for name, (template, _) in bombs.items())
    directory = templated(tmp_path, files)
    started = time.monotonic()
    text = "\n".join(problems_of(directory, genesys_org_vars={"big": ["y" * 1000] * 60, "other": HostVarsLike()}))
    assert time.monotonic() - started < 5
    for name, (_, expected) in bombs.items():
        line = [problem for problem in text.split("\n") if "/%s.yml: " % name in problem]
        assert len(line) == 1 and "%s.yml: line 2: description: " % name in line[0] and expected in line[0], (name, text)
    assert len(text) < 10000
