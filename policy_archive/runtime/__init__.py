"""The machinery a build runs on: the on-disk cache, worker processes, the progress bar."""
