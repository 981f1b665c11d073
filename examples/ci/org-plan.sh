#!/bin/sh
# Pull request: preview every org of the inventory and save its plan (JSON to apply on merge,
# Markdown to post as a comment). Fails (exit code 2) when an org's plan refuses a change.
#   INVENTORY  the inventory (one host per org, host variable genesys_org_dir)
#   PLAN_DIR   where the plans go: PLAN_DIR/<inventory host>.json and .md
# Connection settings: the host variables, or GENESYSCLOUD_API_URL / _OAUTHCLIENT_ID / _OAUTHCLIENT_SECRET.
set -eu
mkdir -p "$PLAN_DIR"
exec ansible-playbook -i "$INVENTORY" "${PREVIEW_PLAYBOOK:-genesys.cloud.preview_org}" \
    -e "genesys_plan_json=$PLAN_DIR/{{ inventory_hostname }}.json" \
    -e "genesys_plan_markdown=$PLAN_DIR/{{ inventory_hostname }}.md"
