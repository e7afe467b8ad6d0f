"""The ``subsidies demo`` pieces: synthetic claim files (:mod:`subsidies.demo.synthetic`) and the run."""
