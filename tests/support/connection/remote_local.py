"""Test-only connection: runs commands on this machine like ``local`` but is not ``local``.

A stand-in for a remote host (ssh): a task delegated to a host using it must run the module
as a process where the task runs, never in-process on the controller.
"""
from ansible.plugins.connection.local import DOCUMENTATION as LOCAL_DOCUMENTATION
from ansible.plugins.connection.local import Connection as LocalConnection

DOCUMENTATION = LOCAL_DOCUMENTATION.replace("name: local", "name: remote_local", 1)


class Connection(LocalConnection):
    transport = "remote_local"
