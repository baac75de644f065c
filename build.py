#!/usr/bin/env python3
"""Entry point: ``python build.py [build|check|diff|lock|release|publish|serve] ...``."""

import sys

from policy_archive.cli import main

if __name__ == "__main__":
    sys.exit(main())
