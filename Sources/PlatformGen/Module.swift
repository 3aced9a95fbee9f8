// PlatformGen: see Package.swift.
