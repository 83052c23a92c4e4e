"""School announcements: /announce, the sender's /announcements with Seen counts, and the
announcement as a family receives it."""
