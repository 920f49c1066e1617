"""Costs, the expanded graph and routing: what one step costs, which steps exist, query
options, planned links and dated closures, place lookup, and the compiled array engine
(:mod:`corridor.engine.compiled`) that matrix and reach searches run on."""
