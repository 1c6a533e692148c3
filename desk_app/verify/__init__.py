"""Policy verification: payload decoding, strict parsing, XMLDSig, trust chain, decision."""
