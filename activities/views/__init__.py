"""The activities pages, one module per area; urls.py names each."""
