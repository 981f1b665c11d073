#!/bin/sh
# Scheduled drift check: fails (exit code 2) when an org differs from its directory or holds schemas or
# webhooks the directory does not name; the plan of each org is kept in PLAN_DIR for the job's artifacts.
set -eu
mkdir -p "$PLAN_DIR"
exec ansible-playbook -i "$INVENTORY" "${PREVIEW_PLAYBOOK:-genesys.cloud.preview_org}" \
    -e genesys_fail_on_changes=true -e genesys_fail_on_unmanaged=true \
    -e "genesys_plan_markdown=$PLAN_DIR/{{ inventory_hostname }}.md"
