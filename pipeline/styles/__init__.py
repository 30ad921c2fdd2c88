"""What the pipeline reads from ``styles/``, the folder a clinic edits: its
templates (``templates.py``) and its stylesheets, checked before a renderer
sees them (``stylesheets.py``)."""
