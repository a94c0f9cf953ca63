"""Notices: what the site tells people by email (invitations, reminders, decisions), each sent
once and recorded, to those the disclosure policy lets see it and who have not turned it off."""
