"""Two block lists to one aligned diff, its change classes, clause history."""
