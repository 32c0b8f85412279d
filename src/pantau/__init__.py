"""pantau: explainable detection of commercial-sex solicitation and child exploitation in
Indonesian chat and profile text, for the trust-and-safety teams of location-based chat apps."""

__version__ = "0.1.0"
