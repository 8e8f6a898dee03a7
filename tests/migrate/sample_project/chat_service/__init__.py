"""A chat service: messages, users and tokens."""
