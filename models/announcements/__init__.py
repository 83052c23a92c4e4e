"""School announcements to a class, a year group or the whole school: sending, reading with
translations, Seen counts, reminders and ready-made templates."""
