"""Users, organisations, roles, login and the one access mechanism."""
