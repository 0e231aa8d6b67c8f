"""Ground-floor facts every room may read: the menukaart, the observation dimensions, what each
intervention takes, and the Dutch labels of the exchange format's closed lists.

Data files with small loaders; nothing here imports another part of the application.
"""
