"""Tamyr: the Django project package (settings, URLs, WSGI/ASGI entry points, users)."""
