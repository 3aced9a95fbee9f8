import ArgumentParser
import BoardBuild
import BoardFile

struct Fetch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download (or find in the cache) every input `build` needs for the boards, without building.",
        discussion: "Example: xen-board fetch vexpress qemu-virt-arm64   (then build offline)"
    )

    @Argument(help: "Board names or board file paths.") var boards: [String]

    func run() throws {
        let catalog = BoardCatalog.locate()
        for name in boards {
            let b = try catalog.load(name)
            for line in try Builder.fetchInputs(b, progress: { printError("fetch: \($0)") }) { print("\(b.name): \(line)") }
        }
    }
}
