"""WTForms for the organizer area, mirroring the models."""
