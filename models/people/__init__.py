"""Staff, classes, pupils, guardians and the links between them: who is acting and what they may
see (access), invites and invite letters, preferences, overviews and the roster import."""
