"""The build pipeline: stamp, reuse of the last build, cache, workers."""
