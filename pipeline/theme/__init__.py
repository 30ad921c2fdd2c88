"""The clinic's theme: what the pipeline reads from ``styles/``, the folder a clinic edits
(the folder keeps the name clinics know; the code calls it the theme, as "style" alone
would also mean the CSL citation style): its
templates (``templates.py``) and its stylesheets, checked before a renderer
sees them (``stylesheets.py``)."""
