"""Colour-coded judgements in chat: /assess for one pupil, /sweep for a class, /expect for the
end-of-year expectation."""
