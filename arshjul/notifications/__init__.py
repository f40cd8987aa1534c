"""Swedish mail templates, signed links and the aiosmtplib sender."""
