"""The dashboard: templates, static files and small helpers to draw charts as SVG."""
