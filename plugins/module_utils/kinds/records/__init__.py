"""The records kind: ``records/SCHEMA.{yml,yaml,json,jsonl,csv}`` of an org directory, over module_utils/records_resource.py."""
