"""Best oral / best poster voting: categories and votes, ballots, codes, cards and results."""
