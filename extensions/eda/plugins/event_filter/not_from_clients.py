"""genesys.cloud.not_from_clients: drop webhook events caused by the given OAuth clients."""

from __future__ import annotations

import logging
import os

DOCUMENTATION = r"""
---
author:
  - genesys.cloud contributors
short_description: Drop Genesys Cloud events caused by given OAuth clients
description:
  - An ansible-rulebook event filter for events from P(genesys.cloud.webhook_events#event_source).
    It drops every event whose C(payload.actor.type) is V(client) and whose C(payload.actor.id) is in
    O(client_ids) or O(client_ids_env), so a rulebook does not react to the changes its own playbooks
    made with the automation's OAuth client.
  - Events without an C(actor), or with an actor of another type, pass unchanged.
  - A dropped event is logged at info level with its id and the client id.
options:
  client_ids:
    description:
      - The OAuth client ids whose changes are dropped.
      - ansible-rulebook 1.3 does not fill in C({{ }}) variables in filter arguments; to take the ids
        from the environment, use O(client_ids_env).
    type: list
    elements: str
  client_ids_env:
    description:
      - The name of an environment variable of ansible-rulebook's process that holds client ids,
        separated by commas (for example V(GENESYSCLOUD_OAUTHCLIENT_ID), the client the collection's
        modules run as). An unset or empty variable is an error, so a typo cannot let every event through.
    type: str
notes:
  - At least one of O(client_ids) and O(client_ids_env) is required.
"""

EXAMPLES = r"""
- name: Schema drift made by hand
  hosts: all
  sources:
    - genesys.cloud.webhook_events:
        port: 5000
        secret: "{{ genesys_webhook_secret }}"
      filters:
        - genesys.cloud.not_from_clients:
            client_ids:
              - 7de3af06-1f5b-4f3d-9d2e-automation
            client_ids_env: GENESYSCLOUD_OAUTHCLIENT_ID
  rules:
    - name: Someone else changed a schema
      condition: event.payload.eventType is match("data.flex.schema.")
      action:
        print_event:
"""

LOGGER = logging.getLogger("genesys.cloud.not_from_clients")


def client_id_set(client_ids=None, client_ids_env=None, environ=None):
    """The set of client ids to drop; raises ValueError naming the bad argument."""
    environ = os.environ if environ is None else environ
    ids = set()
    if client_ids is not None:
        if isinstance(client_ids, str):
            client_ids = [client_ids]
        if not isinstance(client_ids, (list, tuple)) or not all(isinstance(i, str) and i for i in client_ids):
            raise ValueError("not_from_clients: 'client_ids' must be a list of non-empty strings")
        ids.update(client_ids)
    if client_ids_env is not None:
        if not isinstance(client_ids_env, str) or not client_ids_env:
            raise ValueError("not_from_clients: 'client_ids_env' must be the name of an environment variable")
        from_env = [i.strip() for i in environ.get(client_ids_env, "").split(",") if i.strip()]
        if not from_env:
            raise ValueError("not_from_clients: the environment variable %s named by 'client_ids_env' is unset "
                             "or empty" % client_ids_env)
        ids.update(from_env)
    if not ids:
        raise ValueError("not_from_clients: give 'client_ids' (a list) or 'client_ids_env' (a variable name)")
    return ids


def main(event, client_ids=None, client_ids_env=None):
    """The event, or an empty list (no event) when its actor is one of the clients."""
    ids = client_id_set(client_ids, client_ids_env)
    payload = event.get("payload") if isinstance(event, dict) else None
    actor = payload.get("actor") if isinstance(payload, dict) else None
    if isinstance(actor, dict) and actor.get("type") == "client" and actor.get("id") in ids:
        LOGGER.info("not_from_clients: dropped event %s (%s) made by client %s",
                    str(payload.get("id"))[:40], str(payload.get("eventType"))[:60], actor["id"])
        return []
    return event
