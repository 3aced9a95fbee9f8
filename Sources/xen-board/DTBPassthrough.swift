import ArgumentParser
import BoardBuild
import BoardModel
import DeviceTree
import Foundation
import Infrastructure
import Passthrough

extension GuestAddressPolicy: ExpressibleByArgument {}

struct DTBPassthrough: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dtb-passthrough",
        abstract: "Write a Xen 4.17 partial device tree passing host devices through to a guest.",
        discussion: """
        Example: xen-board dtb-passthrough --dtb board.dtb --device /pl031@9010000 -o rtc.dtb --host-out host.dtb --xl-cfg
        Warnings go to stderr; outputs are written atomically and checked with libfdt.
        """
    )

    @Option(help: "The host DTB.") var dtb: String
    @Option(name: .customLong("device"), help: "A device to pass: absolute path or alias (repeatable).") var devices: [String] = []
    @Option(name: .shortAndLong, help: "Where to write the partial DTB.") var output: String
    @Option(name: .customLong("host-out"), help: "Write the host DTB with xen,passthrough on each passed node.") var hostOut: String?
    @Option(name: .customLong("guest-addr"), help: "Guest addresses: 1:1 (fail when unsafe) or auto.") var guestAddr: GuestAddressPolicy = .auto
    @Flag(name: .customLong("allow-shared"), help: "Pass devices whose page or IRQ is shared with a Dom0 device.") var allowShared = false
    @Flag(help: "Print the partial tree as DTS.") var dts = false
    @Flag(name: .customLong("xl-cfg"), help: "Print the xl configuration lines.") var xlCfg = false
    @OptionGroup var placement: PlacementOptions

    func validate() throws {
        guard !devices.isEmpty else { throw ValidationError("give at least one --device") }
    }

    func run() throws {
        try OutputPlacement.requireDistinct([("-o", output)] + (hostOut.map { [("--host-out", $0)] } ?? []))
        let host = try DTBFile.load(dtb)
        let result: PassthroughResult
        do {
            result = try Passthrough.extract(host: host, facts: HostFacts(BoardModel(tree: host)), devices: devices, guestAddress: guestAddr, allowShared: allowShared)
        } catch let e as PassthroughError {
            throw InputError(file: dtb, detail: e.description)
        }
        for w in result.warnings { printError("warning: \(w)") }
        for d in result.droppedReferences { printError("dropped: \(d)") }
        try OutputPlacement.writeFile(result.partialBlob, to: output, force: placement.force)
        if let hostOut { try DTBFile.write(result.host, to: hostOut, force: placement.force) }
        if dts { print(DTSPrinter.dts(result.partial), terminator: "") }
        if xlCfg { print(result.xlConfig(deviceTree: output), terminator: "") }
    }
}
