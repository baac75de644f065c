"""What the tests share, one job per module: building, serving, the browser, outside tools."""
