"""Reference pages (Markdown) for the collection's Event-Driven Ansible plugins, from their DOCUMENTATION
and EXAMPLES strings: antsibull-docs knows no event_source / event_filter plugin type, so the docs site
(scripts/build_docs.py) gets these pages instead, linked from the event_driven guide."""
import ast
import os
import re

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EDA = os.path.join(REPO, "extensions", "eda", "plugins")
KINDS = (("event_source", "event source"), ("event_filter", "event filter"))
MARKUP = re.compile(r"\b([CVOIBMP]|RV)\(([^()]*)\)")


def plugins():
    """[(kind, kind title, name, path)] for every plugin file, sorted."""
    found = []
    for kind, title in KINDS:
        directory = os.path.join(EDA, kind)
        for filename in sorted(os.listdir(directory)) if os.path.isdir(directory) else ():
            if filename.endswith(".py") and not filename.startswith("_"):
                found.append((kind, title, filename[:-3], os.path.join(directory, filename)))
    return found


def doc_strings(path):
    """DOCUMENTATION and EXAMPLES of a plugin file, read without importing it."""
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    values = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id in ("DOCUMENTATION", "EXAMPLES") and isinstance(node.value, ast.Constant):
                values[node.targets[0].id] = node.value.value
    return yaml.safe_load(values["DOCUMENTATION"]), values.get("EXAMPLES", "").strip()


def text(value):
    """Ansible doc markup (C(), O(), V(), B(), M(), P() ...) as Markdown."""
    def convert(match):
        macro, inner = match.groups()
        if macro == "B":
            return "**%s**" % inner
        if macro == "I":
            return "*%s*" % inner
        if macro in ("M", "P"):
            return "`%s`" % inner.split("#")[0]
        if macro == "O" and "#" in inner:
            plugin, _, option = inner.partition("#")
            return "`%s` of `%s`" % (option.split(":")[-1], plugin)
        return "`%s`" % inner
    return MARKUP.sub(convert, value)


def paragraphs(value):
    return [text(item) for item in (value if isinstance(value, list) else [value])]


def render(kind_title, name, path):
    doc, examples = doc_strings(path)
    lines = ["# genesys.cloud.%s %s" % (name, kind_title), "", text(doc["short_description"]) + ".", ""]
    lines += ["Use it in a rulebook as `genesys.cloud.%s`. Source: `extensions/eda/plugins/%s/%s.py`."
              % (name, os.path.basename(os.path.dirname(path)), name), ""]
    lines += ["## Synopsis", ""] + ["- " + item for item in paragraphs(doc.get("description", []))] + [""]
    lines += ["## Options", "", "| Option | Type | Default | Description |", "|---|---|---|---|"]
    for option, spec in (doc.get("options") or {}).items():
        kind = spec.get("type", "str") + (" of " + spec["elements"] if spec.get("elements") else "")
        default = "required" if spec.get("required") else ("`%s`" % spec["default"] if "default" in spec else "")
        description = " ".join(paragraphs(spec.get("description", []))).replace("|", "\\|")
        lines.append("| `%s` | %s | %s | %s |" % (option, kind, default, description))
    lines.append("")
    if doc.get("notes"):
        lines += ["## Notes", ""] + ["- " + item for item in paragraphs(doc["notes"])] + [""]
    if examples:
        lines += ["## Examples", "", "```yaml", examples, "```", ""]
    return "\n".join(lines)


def write_pages(dest):
    """Write one page per plugin into ``dest``; returns their names (without .md)."""
    os.makedirs(dest, exist_ok=True)
    names = []
    for kind, title, name, path in plugins():
        page = "%s_%s" % (name, kind)
        with open(os.path.join(dest, page + ".md"), "w", encoding="utf-8") as handle:
            handle.write(render(title, name, path))
        names.append(page)
    return names
