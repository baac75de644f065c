"""Word and PDF documents of a diff: the 新旧対照表 as paper a legal department circulates."""
