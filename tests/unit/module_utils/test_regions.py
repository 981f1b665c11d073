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


# Every region the official SDKs and the Terraform provider know, pinned one by one: a typo in a
# domain or a dropped region fails here, not at a customer's first login.
ALL_REGIONS = {
    "us-east-1": "mypurecloud.com",
    "us-east-2": "use2.us-gov-pure.cloud",
    "us-west-2": "usw2.pure.cloud",
    "ca-central-1": "cac1.pure.cloud",
    "sa-east-1": "sae1.pure.cloud",
    "mx-central-1": "mxc1.pure.cloud",
    "eu-west-1": "mypurecloud.ie",
    "eu-west-2": "euw2.pure.cloud",
    "eu-central-1": "mypurecloud.de",
    "eu-central-2": "euc2.pure.cloud",
    "eusc-de-east-1": "edee1.eusc-pure.cloud",
    "me-central-1": "mec1.pure.cloud",
    "ap-south-1": "aps1.pure.cloud",
    "ap-northeast-1": "mypurecloud.jp",
    "ap-northeast-2": "apne2.pure.cloud",
    "ap-northeast-3": "apne3.pure.cloud",
    "ap-southeast-1": "apse1.pure.cloud",
    "ap-southeast-2": "mypurecloud.com.au",
}


@pytest.mark.parametrize("region", sorted(ALL_REGIONS))
def test_every_region_resolves_to_its_api_and_login_hosts(region):
    domain = ALL_REGIONS[region]
    assert resolve_base_urls(region) == ("https://api.%s" % domain, "https://login.%s" % domain)


def test_the_region_table_has_exactly_the_18_known_regions():
    assert len(ALL_REGIONS) == 18
    assert REGIONS == sorted(ALL_REGIONS)


def test_doc_fragment_and_awx_credential_type_offer_every_region():
    import yaml
    from ansible_collections.genesys.cloud.plugins.doc_fragments.auth import ModuleDocFragment
    from tests.support.awx_kit import credential_type as awx_credential_type

    options = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
    assert options["region"]["choices"] == REGIONS
    credential_type = awx_credential_type()
    region_field = [field for field in credential_type["inputs"]["fields"] if field["id"] == "region"][0]
    assert region_field["choices"] == REGIONS
