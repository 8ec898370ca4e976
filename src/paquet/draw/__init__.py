"""Pictures of packets, exchanges, paths, captures and labs: SVG for browsers and notebooks,
text for terminals."""
