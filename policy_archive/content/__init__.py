"""The project's sources read and validated: settings, versions, translations, the lock and the record."""
