import ArgumentParser

@main
struct XenBoard: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xen-board",
        abstract: "Port Xen to Arm boards: inspect device trees, compose and boot Xen images.",
        discussion: """
        Device tree tools:
          xen-board dt show board.dtb            print the tree as DTS
          xen-board dt get board.dtb serial0     print a node (path or alias)
          xen-board dt check board.dtb           validate a blob (exit 1 with the reason)
        """,
        version: "0.1.0",
        subcommands: [New.self, Build.self, Boot.self, Fetch.self, Gen.self, Inspect.self, Boards.self, DT.self, DTBPassthrough.self, XenSourceBuild.self]
    )
}
