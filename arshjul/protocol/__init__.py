"""The committee's protocol: paragraphs, attendance, justering, anslag, HTML and PDF/A."""
