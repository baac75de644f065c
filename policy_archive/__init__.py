"""policy_archive: a static-site builder for dated versions of policies and the changes between them."""

__version__ = "0.1.0"
