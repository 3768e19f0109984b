"""WTForms forms (Flask-WTF), mirroring the models."""
