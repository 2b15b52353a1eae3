"""Files in and out: each reads a file with its `formats` reader, checks every row through
the services, and writes all of it in the caller's one transaction, or nothing."""
