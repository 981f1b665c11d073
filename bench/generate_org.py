#!/usr/bin/env python3
"""Generated org-as-code directories for benchmarks and scale tests.

``generate_org(directory, schemas=30, records_per_schema=50, webhooks=10)`` writes
``schemas/*.yml`` (schema N has a key field, a few typed fields and a relationship to schema N-1),
``records/*.jsonl`` (each record points at a record of the previous schema) and ``webhooks/*.yml``,
plus an ``org.yml`` that matches records by their key field.
"""
import json
import os

import yaml


def schema_name(number):
    return "benchSchema%03d" % number


def generate_org(directory, schemas=30, records_per_schema=50, webhooks=10):
    for kind in ("schemas", "records", "webhooks"):
        os.makedirs(os.path.join(directory, kind), exist_ok=True)
    org = {"records": {}}
    for number in range(schemas):
        name = schema_name(number)
        fields = [{"name": "code", "type": "string", "unique": True, "required": True},
                  {"name": "label", "type": "string", "maxLength": 80},
                  {"name": "status", "type": "string", "options": ["active", "paused", "closed"]},
                  {"name": "amount", "type": "number"}]
        if number:
            fields.append({"name": "parent", "type": "relationship",
                           "relationship": {"schema": schema_name(number - 1), "field": "code"}})
        with open(os.path.join(directory, "schemas", name + ".yml"), "w") as handle:
            yaml.safe_dump({"name": name, "description": "Generated schema %d" % number, "fields": fields},
                           handle, sort_keys=False)
        with open(os.path.join(directory, "records", name + ".jsonl"), "w") as handle:
            for index in range(records_per_schema):
                record = {"code": "%s-%05d" % (name, index), "label": "Item %d of %s" % (index, name),
                          "status": ("active", "paused", "closed")[index % 3], "amount": index * 7}
                if number:
                    record["parent"] = "%s-%05d" % (schema_name(number - 1), index)
                handle.write(json.dumps(record) + "\n")
        org["records"][name] = {"key": "code"}
    for number in range(webhooks):
        hook = {"name": "bench-hook-%02d" % number, "endpoint": "https://hooks.bench.example/in/%d" % number,
                "event_types": ["customobjects.records.changed"], "enabled": True,
                "filter": {"schema_name": schema_name(number % max(schemas, 1))}}
        with open(os.path.join(directory, "webhooks", "bench-hook-%02d.yml" % number), "w") as handle:
            yaml.safe_dump(hook, handle, sort_keys=False)
    with open(os.path.join(directory, "org.yml"), "w") as handle:
        yaml.safe_dump(org, handle, sort_keys=False)
    return directory
