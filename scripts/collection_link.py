#!/usr/bin/env python3
"""Make ROOT/ansible_collections/genesys/cloud point at this checkout (for ansible, ansible-lint, docs).

Ansible itself follows the symlink; ansible-test does not (see ansible_test.py).
"""
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def ensure_link(root):
    namespace_dir = os.path.join(os.path.abspath(root), "ansible_collections", "genesys")
    os.makedirs(namespace_dir, exist_ok=True)
    link = os.path.join(namespace_dir, "cloud")
    if os.path.islink(link) and os.path.realpath(link) == REPO:
        return link
    if os.path.lexists(link):
        os.remove(link)
    os.symlink(REPO, link)
    return link


if __name__ == "__main__":
    print(ensure_link(sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "build", "collections")))
