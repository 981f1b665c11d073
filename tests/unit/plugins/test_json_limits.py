"""JSON from strangers: a nesting limit that names the line, never a RecursionError."""
import pytest

from ansible_collections.genesys.cloud.plugins.plugin_utils import json_limits


def test_plain_json_parses():
    assert json_limits.loads('{"a": [1, {"b": "[[[[ {{ not nesting"}]}', max_depth=3) == {
        "a": [1, {"b": "[[[[ {{ not nesting"}]}


@pytest.mark.parametrize("depth", [65, 5000, 200000])
def test_deep_json_names_the_line_where_the_limit_is_crossed(depth):
    text = '{\n"x": "[[[\\"[[",\n"y":\n' + "[" * depth + "]" * depth + "\n}\n"
    with pytest.raises(json_limits.JSONNestingError) as caught:
        json_limits.loads(text, max_depth=64)
    assert caught.value.line == 4 and "line 4: nested deeper than 64 levels" in str(caught.value)


def test_the_limit_itself_is_allowed():
    assert isinstance(json_limits.loads("[" * 64 + "]" * 64, max_depth=64), list)
    assert json_limits.depth_exceeded_at("[" * 64 + "]" * 64, 64) is None
    assert json_limits.depth_exceeded_at("[" * 65 + "]" * 65, 64) == 1
