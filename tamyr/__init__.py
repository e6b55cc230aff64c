"""Tamyr: the Django project package (settings, URLs, WSGI/ASGI entry points, users)."""

from tamyr import compiled

# Before any app module is imported: a compiled importer module older than its source is not used.
compiled.install()
