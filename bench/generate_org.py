#!/usr/bin/env python3
"""Generate an org-as-code directory for benchmarks and tests: ``generate_org(path, schemas=30, ...)``.

Schema ``i`` has a unique code, a few typed fields, and (from the second on) a relationship to the
previous schema; each schema gets ``records`` records (JSON lines), each pointing at a record of the
previous schema; ``webhooks`` webhooks filter on the first schemas. The same arguments always give
the same files.

    python bench/generate_org.py /tmp/org-30 --schemas 30 --records 50 --webhooks 10
"""
import argparse
import json
import os

import yaml


def schema_name(index):
    return "benchSchema%03d" % index


def generate_org(path, schemas=30, records=50, webhooks=10, key="id"):
    """Write the directory at ``path`` (created if needed) and return it.

    With ``key="code"`` the records carry no id and ``org.yml`` names ``key: code`` for every schema
    (ids are then derived from the code, as a new user writes an org)."""
    for folder in ("schemas", "records", "webhooks"):
        os.makedirs(os.path.join(path, folder), exist_ok=True)
    for index in range(schemas):
        name = schema_name(index)
        fields = [{"name": "code", "type": "string", "unique": True, "required": True},
                  {"name": "label", "type": "string", "max_length": 200},
                  {"name": "weight", "type": "number"},
                  {"name": "active", "type": "boolean"},
                  {"name": "level", "type": "string", "options": ["low", "mid", "high"]}]
        if index:
            fields.append({"name": "parent", "type": "relationship",
                           "relationship": {"schema": schema_name(index - 1), "field": "code"}})
        with open(os.path.join(path, "schemas", name + ".yml"), "w") as handle:
            yaml.safe_dump({"name": name, "description": "generated schema %d" % index, "fields": fields},
                           handle, sort_keys=False)
        with open(os.path.join(path, "records", name + ".jsonl"), "w") as handle:
            for number in range(records):
                record = {"code": "c%03d-%04d" % (index, number),
                          "label": "record %d of schema %d" % (number, index), "weight": number * 1.5,
                          "active": number % 2 == 0, "level": ("low", "mid", "high")[number % 3]}
                if key == "id":
                    record["id"] = "%s-%04d" % (name, number)
                if index:
                    record["parent"] = "c%03d-%04d" % (index - 1, number)
                handle.write(json.dumps(record, sort_keys=True) + "\n")
    if key != "id":
        with open(os.path.join(path, "org.yml"), "w") as handle:
            yaml.safe_dump({"records": dict((schema_name(index), {"key": key}) for index in range(schemas))}, handle)
    for index in range(webhooks):
        hook = {"name": "bench-hook-%02d" % index, "endpoint": "https://hooks.example.com/bench/%d" % index,
                "event_types": ["customobjects.records.changed"], "enabled": True,
                "filter": {"schema_name": schema_name(index % max(schemas, 1))}}
        with open(os.path.join(path, "webhooks", "bench-hook-%02d.yml" % index), "w") as handle:
            yaml.safe_dump(hook, handle, sort_keys=False)
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--schemas", type=int, default=30)
    parser.add_argument("--records", type=int, default=50)
    parser.add_argument("--webhooks", type=int, default=10)
    parser.add_argument("--key", default="id", help="id, or code: records without ids, org.yml names key: code")
    options = parser.parse_args()
    generate_org(options.path, options.schemas, options.records, options.webhooks, options.key)


if __name__ == "__main__":
    main()
