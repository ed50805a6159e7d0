"""Localizing listings: protected spans, glossaries, HTML-safe translation, engine routing."""
