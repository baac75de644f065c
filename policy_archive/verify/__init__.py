"""A built site checked on its own and against its sources, read as hostile input."""
