#!/bin/sh
# Vault password script for the example inventory: prints $GENESYS_EXAMPLE_VAULT_PASSWORD.
# Ansible runs an executable --vault-password-file and reads the password from its output:
#   GENESYS_EXAMPLE_VAULT_PASSWORD=... ansible-playbook --vault-password-file examples/inventory/example-vault-env.sh ...
# The same pattern works for a real org with a password from your secret store in the variable.
if [ -z "${GENESYS_EXAMPLE_VAULT_PASSWORD:-}" ]; then
    echo "example-vault-env.sh: GENESYS_EXAMPLE_VAULT_PASSWORD is not set; set it (examples/inventory/README.md" \
        "names the examples' password) or use --ask-vault-pass instead of --vault-password-file" >&2
    exit 1
fi
printf '%s\n' "$GENESYS_EXAMPLE_VAULT_PASSWORD"
