"""Readers and writers of the files people bring and take: a file in, typed rows out; no
database (the services write what they read)."""
