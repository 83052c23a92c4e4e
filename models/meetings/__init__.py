"""The four mentoring meetings of the year: rounds and their import, teachers' availability,
booking (models.meetings.booking), calendar files, the meeting sheet and the round's overview."""
