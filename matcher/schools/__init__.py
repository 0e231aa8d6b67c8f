"""The school side: groups, keuzehulp, requests, bookings, budgets and the schoolprogramma."""
