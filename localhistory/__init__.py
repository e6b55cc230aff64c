"""The Wagtail CMS side: home page, collections, items, exhibitions, places and site search."""
