"""A local, in-memory emulator of the Genesys Cloud REST contract in shared/contract/API.md."""

from .server import EmulatorServer, start_in_thread

__all__ = ["EmulatorServer", "start_in_thread"]
