import Infrastructure

/// The CPU architecture a boot image runs on: the one architecture type (Infrastructure's table of facts), under
/// the name the image checks use.
public typealias ImageArch = TargetArchitecture
