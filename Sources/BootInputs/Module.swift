// BootInputs: see Package.swift.
