"""docs/openapi.yaml as data, for test_openapi.py and test_openapi_real.py."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DOC_PATH = ROOT / "docs" / "openapi.yaml"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
#: The paths of shared/contract/REAL_API.md (data tables, flows, workitem schemas, triggers).
REAL_PREFIXES = ("/api/v2/flows", "/api/v2/taskmanagement/", "/api/v2/processautomation/")


def load_document():
    with open(DOC_PATH, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def document_operations(doc):
    return sorted((method.upper(), path) for path, item in doc["paths"].items()
                  for method in item if method in METHODS)


def is_real(path):
    return path.startswith(REAL_PREFIXES)


def normalise(path):
    return re.sub(r"\{[^}]*\}", "{}", path)
