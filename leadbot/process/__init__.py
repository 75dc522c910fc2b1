"""Process plumbing: the HTTP server, signal handling, logging."""
