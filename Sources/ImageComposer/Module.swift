// ImageComposer: see Package.swift.
