"""The family-history domain: trees, people, names, families, events, places and sources."""
