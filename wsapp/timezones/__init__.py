"""Time, in one place: the clock, the viewer's display zone, the venue's zone and their formats.

Everything is stored in UTC; these modules convert only when a page is rendered.
"""
