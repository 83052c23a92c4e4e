"""What every feature's domain shares: vocabularies (enums), domain errors, audit entries, the
clock, the shipped languages, per-chat flow state, processed update ids and the
machine-translation plug-in."""
