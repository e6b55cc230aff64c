"""Reading and writing files (GEDCOM, шежіре outlines, CSV), and the pages and tasks that do it."""
