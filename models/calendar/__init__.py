"""The school and its year: the school's settings, its six half-terms, office and quiet hours,
the term-dates import and the half-termly reminders."""
