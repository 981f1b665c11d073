"""The untrusted-file reader (plugin_utils/org_files.py): the cheap depth bound is a real bound, values are cut."""
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.genesys.cloud.plugins.plugin_utils import org_files as of

scalars = st.one_of(st.integers(), st.booleans(), st.text(alphabet="ab -:?[]{}#*&'\"", max_size=6))
documents = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, min_size=1, max_size=3), st.dictionaries(st.text("abc", min_size=1, max_size=3), inner,
                                                             min_size=1, max_size=3)), max_leaves=40)


def depth(value):
    if isinstance(value, dict):
        return 1 + max(depth(v) for v in value.values())
    if isinstance(value, list):
        return 1 + max(depth(v) for v in value)
    return 0


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(documents, st.sampled_from([None, True, False]), st.integers(1, 6))
def test_the_depth_bound_is_never_below_the_real_depth(document, flow, indent):
    text = yaml.safe_dump(document, default_flow_style=flow, indent=max(indent, 2))
    assert depth(yaml.safe_load(text)) <= of.depth_bound(text)


def test_compact_and_deep_block_nesting_is_refused_before_it_is_built():
    for text in ("- " * 100 + "x\n", "".join(" " * i + "k%d:\n" % i for i in range(100)) + " " * 100 + "v\n"):
        try:
            of.parse_yaml("deep.yml", text)
        except of.FileProblem as exc:
            assert "nested more than 64 levels deep" in str(exc)
        else:
            raise AssertionError("accepted")


def test_shorten_keeps_a_prefix_and_says_how_long_the_value_was():
    assert of.shorten("x" * 80) == "x" * 80
    assert of.shorten("x" * 5000000) == "x" * 80 + "... (5000000 characters in all)"
    assert of.shorten(["y" * 100]).startswith("['yyy") and of.shorten(["y" * 100]).endswith("(104 characters in all)")
