"""Accepted papers as the public pages show them (listing) and as they are cited (citation)."""
