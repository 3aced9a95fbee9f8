import ArgumentParser
import BoardBuild
import BoardFile

/// The reference input sets `fetch` can prepare besides boards' inputs (ReferenceInputs).
enum FetchSet: String, EnumerableFlag {
    case corpus, xenImages, tomlTest

    var set: ReferenceInputs.Set {
        switch self {
        case .corpus: .corpus
        case .xenImages: .xenImages
        case .tomlTest: .tomlTest
        }
    }

    static func help(for value: FetchSet) -> ArgumentHelp? {
        switch value {
        case .corpus: "The DTB corpus: every DTB of Debian's arm64 and armmp-lpae kernel packages (for XEN_BOARD_CORPUS)."
        case .xenImages: "Debian 12's Xen 4.17 images xen-arm64 and xen-armhf for the truth boots (for XEN_BOARD_XEN)."
        case .tomlTest: "toml-test's valid/invalid cases from Debian's golang-github-burntsushi-toml-dev (for XEN_BOARD_TOML_TEST)."
        }
    }
}

struct Fetch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download (or find in the cache) every input `build` needs for the boards, or a reference input set.",
        discussion: """
        Everything goes through the package cache (~/.cache/xen-board, or XEN_BOARD_CACHE): each .deb is checked \
        against apt's size and SHA-256 and unpacked once. A set is published as a directory of links into the \
        unpacked packages; its path is printed on stdout, one line per set (progress goes to stderr).

        Examples:
          xen-board fetch vexpress qemu-virt-arm64          (then build offline)
          export XEN_BOARD_CORPUS=$(xen-board fetch --corpus)
          xen-board fetch --xen-images --toml-test --json
        """
    )

    @Argument(help: "Board names or board file paths.") var boards: [String] = []
    @Flag(help: "Reference input sets to fetch.") var sets: [FetchSet] = []
    @Flag(help: "Print one JSON object: boards' inputs and each set's directory, file count and packages.") var json = false

    func validate() throws {
        if boards.isEmpty && sets.isEmpty { throw ValidationError("name at least one board, or --corpus, --xen-images or --toml-test") }
    }

    func run() throws {
        let catalog = BoardCatalog.locate()
        var boardRows: [[String: Any]] = []
        for name in boards {
            let b = try catalog.load(name)
            let lines = try Builder.fetchInputs(b, progress: { printError("fetch: \($0)") })
            if json { boardRows.append(["name": b.name, "inputs": lines]) } else { for line in lines { print("\(b.name): \(line)") } }
        }
        var setRows: [String: Any] = [:]
        for flag in sets {
            let fetched = try ReferenceInputs.fetch(flag.set, progress: { printError("fetch: \($0)") })
            if json {
                setRows[flag.set.rawValue] = ["directory": fetched.directory.path, "files": fetched.files,
                                              "environment": fetched.set.environmentVariable,
                                              "packages": fetched.packages.map(\.description)]
            } else {
                print(fetched.directory.path)
            }
        }
        if json { printJSON(["boards": boardRows, "sets": setRows]) }
    }
}
