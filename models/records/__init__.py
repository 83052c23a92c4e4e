"""What is held about a pupil, as read back: the mentoring file, the subject-access export, and
what the profile picture and class grid show."""
