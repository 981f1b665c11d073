"""TLS and connection options that cannot work are refused or explained, never retried blindly (issue 10, 6)."""
import datetime
import threading

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from werkzeug.serving import make_server

from tests.support.inprocess import run_module


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 (no CA bundle trusts it)."""
    folder = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    import ipaddress
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_file), str(key_file)


@pytest.fixture
def https_emulator(emulator, emulator_server, certificate):
    """The same emulator state served over https with the self-signed certificate."""
    from genesys_emulator.app import create_app

    server = make_server("127.0.0.1", 0, create_app(emulator_server.app_state), threaded=True,
                         ssl_context=certificate)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield dict(emulator.connection, api_url="https://127.0.0.1:%d" % server.port)
    server.shutdown()
    server.server_close()


def test_validate_certs_false_wins_over_a_ca_bundle_in_the_environment(https_emulator, certificate, monkeypatch):
    import certifi

    monkeypatch.setenv("REQUESTS_CA_BUNDLE", certifi.where())
    monkeypatch.setenv("CURL_CA_BUNDLE", certifi.where())
    result = run_module("flex_schema_info", dict(https_emulator, validate_certs=False, max_retries=1))
    assert not result.get("failed"), result.get("msg")
    assert result["schemas"] == []


def test_a_certificate_failure_says_why_and_how_to_fix_it_without_retrying(https_emulator, monkeypatch):
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    result = run_module("flex_schema_info", dict(https_emulator, max_retries=3))
    assert result.get("failed")
    assert "certificate verify failed: self-signed certificate" in result["msg"]
    assert "REQUESTS_CA_BUNDLE" in result["msg"] and "validate_certs: false" in result["msg"]
    assert result["metrics"]["retries"] == 0


def test_a_trusted_ca_bundle_from_the_environment_is_used(https_emulator, certificate, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", certificate[0])
    result = run_module("flex_schema_info", dict(https_emulator))
    assert not result.get("failed"), result.get("msg")


def test_a_netrc_entry_for_the_api_host_does_not_replace_the_token(emulator, tmp_path, monkeypatch):
    # requests, left to read the environment, would send the ~/.netrc login as Basic auth instead.
    netrc = tmp_path / ".netrc"
    netrc.write_text("machine 127.0.0.1 login someone password something\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    monkeypatch.setenv("HOME", str(tmp_path))
    result = run_module("flex_schema_info", dict(emulator.connection))
    assert not result.get("failed"), result.get("msg")


def test_proxy_variables_are_honoured_with_no_proxy(emulator, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("NO_PROXY", "")
    through_proxy = run_module("flex_schema_info", dict(emulator.connection, max_retries=0))
    assert through_proxy.get("failed"), through_proxy
    assert ("cannot connect to %s/oauth/token (host 127.0.0.1, port %s) through the proxy http://127.0.0.1:9: "
            "the proxy http://127.0.0.1:9 cannot be reached" % (emulator.url, emulator.url.rsplit(":", 1)[1])
            in through_proxy["msg"]), through_proxy["msg"]
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    direct = run_module("flex_schema_info", dict(emulator.connection, max_retries=0))
    assert not direct.get("failed"), direct.get("msg")


@pytest.mark.parametrize("options, message", [
    ({"timeout": 0}, "timeout must be a number of seconds greater than 0 (such as 30), got 0.0"),
    ({"timeout": -1.5}, "timeout must be a number of seconds greater than 0"),
    ({"max_retries": -3}, "max_retries must be 0 (no retry) or more, got -3"),
    ({"token_pool_size": 0}, "token_pool_size must be a whole number of tokens from 1 to 20"),
    ({"token_pool_size": 21}, "token_pool_size must be a whole number of tokens from 1 to 20 (GENESYSCLOUD_TOKEN_POOL_SIZE), got 21"),
    ({"api_url": "{url}/api/v2"}, "api_url must be the base URL without /api/v2 (the modules add it): use '{url}'"),
    ({"api_url": "{url}/api/v2/"}, "api_url must be the base URL without /api/v2"),
    ({"auth_url": "{url}/oauth/token"}, "auth_url must be the base URL without /oauth/token"),
    ({"api_url": "http://admin:pw@127.0.0.1:1"}, "api_url must not carry credentials"),
])
def test_connection_options_that_cannot_work_are_refused_before_any_request(emulator, options, message):
    options = dict((k, v.format(url=emulator.url) if isinstance(v, str) else v) for k, v in options.items())
    emulator.clear_requests()
    result = run_module("flex_schema_info", dict(emulator.connection, **options))
    assert result.get("failed") and message.format(url=emulator.url) in result["msg"], result["msg"]
    assert "Traceback" not in result["msg"] and "pw" not in result["msg"]
    assert emulator.requests() == []


def test_timeout_zero_in_a_real_playbook_is_a_clear_error(emulator, playbook):
    run = playbook([{"name": "read", "genesys.cloud.flex_schema_info": {"timeout": 0}, "ignore_errors": True}])
    assert run.status("read") == "failed"
    assert "timeout must be a number of seconds greater than 0" in run.task("read")["msg"]


def test_https_goes_through_the_proxy_of_the_task_environment_unless_no_proxy_names_the_host(
        https_emulator, certificate, playbook):
    from tests.support.connect_proxy import ConnectProxy

    proxy = ConnectProxy()
    try:
        target = https_emulator["api_url"].split("//")[1]
        read = {"genesys.cloud.flex_schema_info": {"api_url": https_emulator["api_url"]}}
        tasks = [
            dict(read, name="through the proxy", environment={
                "HTTPS_PROXY": proxy.url, "NO_PROXY": "", "REQUESTS_CA_BUNDLE": certificate[0]}),
            dict(read, name="no_proxy", environment={
                "HTTPS_PROXY": proxy.url, "NO_PROXY": "127.0.0.1", "REQUESTS_CA_BUNDLE": certificate[0]}),
        ]
        run = playbook(tasks)
        assert run.rc == 0, run
        # Both tasks read the org; only the first went through the tunnel (one CONNECT per connection).
        assert run.task("through the proxy")["schemas"] == run.task("no_proxy")["schemas"] == []
        assert proxy.targets and set(proxy.targets) == {target}
        tunnels = len(proxy.targets)
        direct = playbook(tasks[1:])
        assert direct.rc == 0 and len(proxy.targets) == tunnels
    finally:
        proxy.stop()
