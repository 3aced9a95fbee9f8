// XenSource: see Package.swift.
