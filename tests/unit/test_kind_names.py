"""The org machinery names no kind (issue 28: "grep finds no kind name in the org machinery's files outside the
kind packages"): plugins/plugin_utils/org_*.py reach every kind through module_utils/kinds/registry.py.

Identifiers (split at underscores) and string literals are checked; comments and docstrings are prose and
are not. ALLOWED lists what is left, each with its reason; it should stay empty."""
import glob
import io
import os
import re
import tokenize

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORDS = ("schema", "schemas", "webhook", "webhooks", "record", "records", "flex", "customobjects",
         "datatable", "datatables", "workitem", "workitems", "trigger", "triggers")
NAMES = ("flex_schema", "custom_object", "datatable", "workitem", "trigger")
WORD = re.compile(r"(?<![A-Za-z])(%s)(?![A-Za-z])" % "|".join(WORDS), re.IGNORECASE)
# (file name, the token's text) -> why it may stay
ALLOWED = {}


def _tokens(path):
    """``(line, text)`` of every identifier and every string that is not a docstring."""
    with io.open(path, encoding="utf-8") as handle:
        source = handle.read()
    previous = tokenize.NEWLINE
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.NAME:
            yield token.start[0], token.string
        elif token.type == tokenize.STRING and previous not in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                                                                tokenize.NL):
            yield token.start[0], token.string
        if token.type not in (tokenize.COMMENT, tokenize.NL):
            previous = token.type


def kind_names(path):
    found = []
    for line, text in _tokens(path):
        parts = re.split(r"[_\W]+", text) if text[:1].isalpha() or text[:1] == "_" else [text]
        hit = any(WORD.search(part) and (part.lower() in WORDS or not text[:1].isalpha() and not text[:1] == "_")
                  for part in parts) or any(name in text.lower() for name in NAMES)
        if hit and (os.path.basename(path), text) not in ALLOWED:
            found.append("%s:%d: %s" % (os.path.relpath(path, REPO), line, text[:80]))
    return found


def test_the_org_machinery_names_no_kind():
    found = []
    for path in sorted(glob.glob(os.path.join(REPO, "plugins", "plugin_utils", "org_*.py"))):
        found += kind_names(path)
    assert found == [], "\n".join(found)


def test_the_check_finds_a_kind_name_in_code_and_in_a_message(tmp_path):
    path = tmp_path / "org_example.py"
    path.write_text('"""Docstrings are prose: schemas and webhooks."""\n'
                    'def plan(step):\n'
                    '    """Prose again: records."""\n'
                    '    if step.kind == "schemas":  # a comment: webhooks\n'
                    '        return "the records of %s" % step.name\n'
                    '    return apply_webhook(step)\n')
    found = [entry.split(": ", 1)[1] for entry in kind_names(str(path))]
    assert found == ['"schemas"', '"the records of %s"', "apply_webhook"]
