"""The clinic's theme: what the pipeline reads from ``styles/``, the folder a clinic edits
(the folder keeps the name clinics know; the code calls it the theme, as "style" alone
would also mean the CSL citation style).

``folder.py`` is the theme as one object (``Theme``), which the rest of the pipeline asks;
it reads the words of each language (``strings.py``), the templates (``templates.py``) and
the stylesheets, checked before a renderer sees them (``stylesheets.py``);
``data_files.py`` reads the folder's other YAML files, keyed on their version."""
