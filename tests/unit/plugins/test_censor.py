"""censor: the result a user sees has every no_log value masked, exactly as remove_values masks it."""
from ansible.module_utils.common.parameters import remove_values

from ansible_collections.genesys.cloud.plugins.plugin_utils.censor import censor

MASK = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def test_a_secret_anywhere_in_the_result_is_masked():
    result = dict(msg="token s3cr3t-value refused", nested=[{"header": "s3cr3t-value"}], count=3)
    censored = censor(result, {"s3cr3t-value"})
    assert censored == dict(msg="token ******** refused", nested=[{"header": MASK}], count=3)
    assert result["nested"][0]["header"] == "s3cr3t-value"  # the caller's data is not changed


def test_secrets_that_json_escapes_are_still_found():
    for secret in ('pa"ss\\word', "pässwörd\u2028", "tab\there"):
        result = dict(value=secret, note="x%sy" % secret)
        assert censor(result, {secret}) == remove_values(result, {secret}) == dict(value=MASK, note="x********y")


def test_a_number_that_holds_a_secret_is_masked():
    assert censor(dict(pin=4711, ok=True, none=None), {"4711"}) == dict(pin=MASK, ok=True, none=None)


def test_a_result_without_any_secret_comes_back_equal():
    result = dict(plan=dict(changes=[dict(name="customer", fields=["code", "label"])]), changed=True)
    assert censor(result, {"another-secret"}) == result
    assert censor(result, set()) == result


def test_a_result_that_is_not_plain_json_is_censored_value_by_value():
    result = dict(tags={"alpha", "s3cr3t"}, text="s3cr3t")
    assert censor(result, {"s3cr3t"}) == remove_values(result, {"s3cr3t"})
    assert censor(result, {"s3cr3t"})["text"] == MASK
