"""Messages between families and staff: /ask, replies, /away cover, office hours (/hours) and
how these messages read as notices."""
