"""What the gateway itself does, one module per area; application.py composes them."""
