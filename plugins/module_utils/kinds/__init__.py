"""One package per resource kind."""
