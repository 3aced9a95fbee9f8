import ArgumentParser

/// `--force`, shared by every command that writes: what it may replace is decided by Infrastructure's
/// OutputPlacement (README, "What xen-board promises").
struct PlacementOptions: ParsableArguments {
    @Flag(help: "Replace whatever is at the output path (a user's directory, a device, a FIFO...). Without it, only an earlier xen-board output, an empty directory or, for -o FILE, a regular file is replaced.")
    var force = false
}
