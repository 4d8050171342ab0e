"""What grants does, one module per area over GrantsBase; application.py
composes them."""
