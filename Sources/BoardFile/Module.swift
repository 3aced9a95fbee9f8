// BoardFile: see Package.swift.
