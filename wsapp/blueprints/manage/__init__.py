"""The organizer area under /manage/: a blueprint per module, registered in BLUEPRINTS."""
