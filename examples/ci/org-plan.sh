#!/bin/sh
# Pull request: preview every org of the inventory and save its plan (JSON to apply on merge,
# Markdown to post as a comment). Exit codes (Terraform's plan -detailed-exitcode):
#   0  no org has changes          2  changes pending (the plans are saved)
#   1  an error: a refused change, an invalid directory, an unreachable API, a bad option
#   INVENTORY  the inventory (one host per org, host variable genesys_org_dir)
#   PLAN_DIR   where the plans go: PLAN_DIR/<inventory host>.json and .md (earlier plans there are removed)
# Connection settings: the host variables, or GENESYSCLOUD_API_URL / _OAUTHCLIENT_ID / _OAUTHCLIENT_SECRET.
set -eu
here=$(dirname "$0")
mkdir -p "$PLAN_DIR"
rm -f "$PLAN_DIR"/*.json "$PLAN_DIR"/*.md
status=0
ansible-playbook -i "$INVENTORY" "${PREVIEW_PLAYBOOK:-genesys.cloud.preview_org}" \
    -e "genesys_plan_json=$PLAN_DIR/{{ inventory_hostname }}.json" \
    -e "genesys_plan_markdown=$PLAN_DIR/{{ inventory_hostname }}.md" || status=$?
if [ "$status" -ne 0 ]; then
    echo "org-plan.sh: the preview failed (ansible-playbook exit code $status): a refused change or an error, see above" >&2
    exit 1
fi
exec "${PYTHON:-python3}" "$here/plan-status.py" "$PLAN_DIR"
