"""The benchmark's baseline: a minimal Flask app with one trivial POST, served the same way."""

from flask import Flask, request

app = Flask(__name__)


@app.get("/healthz")
def healthz():
    return "ok"


@app.post("/vote")
def vote():
    return f"<p>got {request.form.get('paper', '')}</p>"
