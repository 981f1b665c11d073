"""The webhook kind: ``webhooks/NAME.yml`` of an org directory, over module_utils/webhook_apply.py."""
