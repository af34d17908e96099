"""The papers views, one module per page: library, reading, topics, transfer (import/export).

``tracker/papers/urls.py`` imports the modules themselves; nothing is re-exported here.
"""
