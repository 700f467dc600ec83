"""The intelligence engine: plain data in, plain results out.

Only the standard library and numeric libraries (numpy, scipy, statsmodels) are imported here, so
that every calculation is tested and benchmarked without a database or a web request. Callers
(selectors, tasks) read the data, call the engine and render or store what it returns. Texts for
people are not made here: results carry short codes (`method`, `notes`) that the caller turns
into sentences in the user's language.
"""
