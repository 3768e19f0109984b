"""WTForms forms (Flask-WTF), a module per area."""
