"""Markdown to rendered text: markup, sanitising, blocks."""
