"""Importers: a package per outside source a workshop moves in from."""
