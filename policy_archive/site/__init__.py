"""What pages the site has and what they show: view models, comparisons, versions.json, feeds, search, hosting files, downloads, lint."""
