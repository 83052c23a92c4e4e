"""The four mentoring meetings in chat: rounds, teachers' availability, families booking,
/today, running the meeting, its sheet, the round's overview and the meeting notices."""
