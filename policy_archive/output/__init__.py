"""Pages rendered through templates and written: the Jinja environment, the sandbox, the staging folder, allowed output folders."""
