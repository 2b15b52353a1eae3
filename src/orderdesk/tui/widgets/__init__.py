"""Reusable pieces of the desk."""
