"""The site's content in files: the wsapp/1 format (load and dump) and the demo content."""
