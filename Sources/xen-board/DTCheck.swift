import ArgumentParser
import DeviceTree
import Foundation
import Passthrough

struct DTCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a DTB: exit 0 when valid, 1 with the reason (and byte offset) when not.",
        discussion: "Example: xen-board dt check board.dtb && echo ok"
    )

    @Argument(help: "The .dtb file.") var file: String
    @Flag(help: "Print the result as JSON.") var json = false
    @Flag(help: "Also check FILE as a Xen passthrough partial device tree (Xen 4.17's parse rules).") var partial = false
    @Option(help: "With --partial: the host DTB its xen,path and xen,reg must match.") var host: String?

    func run() throws {
        let bytes = try DTBFile.read(file)
        if partial { return try checkPartial(bytes) }
        do {
            let tree = try DTBDecoder.decode(bytes)
            let problems = tree.structuralProblems()
            if !problems.isEmpty { return try report(problems) }
            var nodes = 0, properties = 0
            tree.forEachNode { nodes += 1; properties += $0.properties.count }
            if json {
                printJSON(["file": file, "valid": true, "bytes": bytes.count, "nodes": nodes, "properties": properties])
            } else {
                print("\(file): valid (\(bytes.count) bytes, \(nodes) nodes, \(properties) properties)")
            }
        } catch let e as DTBError {
            if json {
                printJSON(["file": file, "valid": false, "error": e.kind.rawValue, "offset": e.offset, "reason": e.detail])
            } else {
                printError("\(file): invalid: \(e)")
            }
            throw ExitCode(1)
        }
    }
}

extension DTCheck {
    /// A blob that decodes but breaks dtc's checks (phandles, names, cell sizes): each problem with dtc's check name.
    func report(_ problems: [TreeProblem]) throws {
        if json {
            let list: [[String: Any]] = problems.map { ["check": $0.check, "node": $0.path, "property": $0.property ?? NSNull(), "reason": $0.detail] }
            printJSON(["file": file, "valid": false, "error": problems[0].check, "problems": list])
        } else {
            for p in problems { printError("\(file): invalid: \(p)") }
        }
        throw ExitCode(1)
    }

    func checkPartial(_ bytes: [UInt8]) throws {
        let hostTree = try host.map { try DTBFile.load($0) }
        let problems = PartialValidator.validate(blob: bytes, host: hostTree)
        if json {
            printJSON(["file": file, "valid": problems.isEmpty, "problems": problems])
        } else if problems.isEmpty {
            print("\(file): valid partial device tree")
        } else {
            for p in problems { printError("\(file): \(p)") }
        }
        if !problems.isEmpty { throw ExitCode(1) }
    }
}

func printJSON(_ object: Any) {
    guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]),
          let text = String(data: data, encoding: .utf8) else { return }
    print(text)
}
