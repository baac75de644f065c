#!/usr/bin/env python3
"""Entry point: ``python build.py [build|check|diff|log|blame|lock|release|publish|serve|init] ...``."""

import sys

from policy_archive.commands.cli import main

if __name__ == "__main__":
    sys.exit(main())
