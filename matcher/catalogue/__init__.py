"""Searching the offer: the public catalogue, activity pages, the match form and shortlists."""
