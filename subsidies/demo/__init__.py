"""The ``subsidies demo`` pieces: realistic claim files (:mod:`subsidies.demo.claims`) and the run."""
