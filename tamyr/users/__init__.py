"""Accounts of the platform: librarians, authors, community members and researchers."""
