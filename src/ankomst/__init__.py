"""Ankomst: operations platform for receiving asylum seekers and refugees."""
