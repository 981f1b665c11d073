import pytest

from ansible_collections.genesys.cloud.plugins.module_utils.errors import ConfigurationError
from ansible_collections.genesys.cloud.plugins.module_utils.regions import REGIONS, resolve_base_urls


def test_region_maps_to_api_and_login_hosts():
    assert resolve_base_urls("eu-west-1") == ("https://api.mypurecloud.ie", "https://login.mypurecloud.ie")
    assert resolve_base_urls(None) == ("https://api.mypurecloud.com", "https://login.mypurecloud.com")


def test_unknown_region_lists_the_valid_ones():
    with pytest.raises(ConfigurationError) as caught:
        resolve_base_urls("mars-north-1")
    message = str(caught.value)
    assert "mars-north-1" in message
    for region in REGIONS:
        assert region in message


def test_api_url_alone_serves_tokens_too():
    assert resolve_base_urls("us-east-1", "http://127.0.0.1:8642/") == ("http://127.0.0.1:8642",
                                                                         "http://127.0.0.1:8642")


def test_auth_url_overrides_login_only():
    assert resolve_base_urls("eu-west-1", auth_url="https://login.example.test") == (
        "https://api.mypurecloud.ie", "https://login.example.test")


@pytest.mark.parametrize("url", ["http://api.example.com", "http://10.0.0.5:8080", "ftp://127.0.0.1"])
def test_plain_http_is_refused_except_to_loopback(url):
    with pytest.raises(ConfigurationError) as caught:
        resolve_base_urls(api_url=url)
    assert "api_url" in str(caught.value)


@pytest.mark.parametrize("url", ["http://localhost:1", "http://127.0.0.2:9", "http://[::1]:80"])
def test_plain_http_to_loopback_is_allowed(url):
    assert resolve_base_urls(api_url=url)[0] == url
