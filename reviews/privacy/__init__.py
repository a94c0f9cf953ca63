"""Personal data: erasing a person, exporting what is held about them, and removing evidence
files once the retention period is over (docs/data-protection.md)."""
