"""Stage 2: pandoc. ``run.py`` runs the pinned pandoc (reading the article,
writing HTML, in the foreground or the background); ``ast.py`` walks and
builds pandoc's JSON AST for the other stages."""
