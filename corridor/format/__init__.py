"""Reading and checking files: the YAML reader and its limits, network and scenario loading,
the checks and their problem codes, JSON schemas, scenario patches, watch lists, the loaded
network cache and ``corridor init``'s scaffold."""
