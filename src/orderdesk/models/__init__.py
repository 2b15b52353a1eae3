"""Tables, enums, read shapes and money helpers of the store."""
