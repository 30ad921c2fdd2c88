"""The leaflet read aloud: ``--to mp3`` (``mp3.py``) and ``--to narrated-epub``
(``narrated_epub.py``, an EPUB 3 with media overlays).

``narration.py`` decides what is said, sentence by sentence, in sections;
``speech.py`` has eSpeak NG say each sentence and measures it, so that the MP3's
chapters and the EPUB's SMIL clips come from the narration's own timing;
``mp3.py`` encodes it with LAME and writes the ID3 tags and chapters.
"""
