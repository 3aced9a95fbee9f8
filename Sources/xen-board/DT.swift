import ArgumentParser

struct DT: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dt",
        abstract: "Read, edit, compare and validate flattened device trees (DTB).",
        discussion: """
        NODE arguments take an absolute path (/soc/serial@7e201000), a path without unit addresses when unique
        enough (/memory), an alias (serial0) or an alias followed by a sub-path (serial0/child).
        Every blob read or written is validated with libfdt's fdt_check_full.
        """,
        subcommands: [DTShow.self, DTEncode.self, DTGet.self, DTSet.self, DTDiff.self, DTCheck.self]
    )
}
