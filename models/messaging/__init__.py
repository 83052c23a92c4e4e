"""Messages between a family and the school about one child (models.messaging.conversations),
who covers for an absent teacher, and office hours."""
