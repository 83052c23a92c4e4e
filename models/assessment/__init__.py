"""Colour-coded judgements against age-related expectations: recording them (one pupil, a class,
the child's own view), bands and progress, end-of-year expectations and their import."""
