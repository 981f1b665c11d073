"""Process-automation triggers (REAL_API.md §10): options, read, plan (a value), apply."""
