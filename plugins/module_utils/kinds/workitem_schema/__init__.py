"""Task-management workitem schemas (REAL_API.md §9): options, read, plan (a value), apply."""
