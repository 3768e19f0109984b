"""Plain functions that hold the logic: no request, no render, no commit."""
