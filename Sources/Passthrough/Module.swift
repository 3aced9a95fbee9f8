// Passthrough: see Package.swift.
