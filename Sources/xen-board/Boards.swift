import ArgumentParser
import BoardFile

struct Boards: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boards",
        abstract: "List the supported boards (boards/*.toml) and their status.",
        discussion: """
        Status: ci-boot = Xen and Dom0 boot under QEMU on every CI run (working); build-only = images are built and
        checked but never booted here (build-verified); blocked = see the note (e.g. no Xen driver for the console).
        Set XEN_BOARD_BOARDS to use another boards directory.
        """
    )

    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let catalog = BoardCatalog.locate()
        var rows: [[String: String]] = []
        for name in catalog.names {
            let b = try catalog.load(name)
            rows.append(["name": b.name, "arch": b.arch.rawValue, "xen": b.xenVersion.rawValue, "status": b.status.rawValue, "description": b.description,
                         "note": b.statusNote ?? ""])
        }
        if json {
            printJSON(rows)
            return
        }
        guard !rows.isEmpty else { throw InputError(file: catalog.directory, detail: "no board files (*.toml) here") }
        let w = (rows.map { $0["name", default: ""].count }.max() ?? 4) + 2
        for r in rows {
            let name = r["name", default: ""], status = r["status", default: ""]
            print(name + String(repeating: " ", count: max(1, w - name.count)) + r["arch", default: ""] + "  xen " + r["xen", default: ""] + "  "
                  + status + String(repeating: " ", count: max(1, 12 - status.count)) + r["description", default: ""])
        }
    }
}
