"""Render validated guidelines into pages: Jinja templates for text, Graphviz for diagrams."""
