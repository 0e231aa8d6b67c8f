"""Observations by culture professionals for the social-emotional scan of a school group."""
