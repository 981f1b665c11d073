"""The flex schema kind: ``schemas/NAME.yml`` of an org directory, over module_utils/flex_schema_apply.py."""
