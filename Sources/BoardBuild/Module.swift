// BoardBuild: see Package.swift.
