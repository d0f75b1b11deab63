"""``ntp propose``: proposed seed rows for a new document, a review file, and applying it."""
