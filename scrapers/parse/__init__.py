"""Parse: plain functions from stored raw material (HTML, mbox) to rows; never the network."""
