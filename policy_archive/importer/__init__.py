"""A policy's past brought in from git, Word and web pages."""
