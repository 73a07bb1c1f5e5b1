"""Demo data for trying Ittisal out and for the benchmarks: :mod:`demo.generator` fills a
database through the data core (:mod:`models`), composing the Arabic of :mod:`demo.words`.
Outside :mod:`models` on purpose: the data core never needs it."""
