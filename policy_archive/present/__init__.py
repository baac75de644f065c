"""The presentations of one diff: redline, side by side, 新旧対照表, summary, terminal, Word and PDF."""
