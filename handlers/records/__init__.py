"""The pupil's record: the mentoring file (/pupil), /profile and /targets for families, the
class grid picture, /export, and sending pictures."""
