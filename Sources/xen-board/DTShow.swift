import ArgumentParser
import DeviceTree

struct DTShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a DTB as DTS (dtc syntax; `dtc -I dts -O dtb` gives back an equal tree).",
        discussion: "Example: xen-board dt show vexpress-v2p-ca15-tc1.dtb | less"
    )

    @Argument(help: "The .dtb file.") var file: String
    @Flag(help: "Do not print labels from /__symbols__.") var noLabels = false

    func run() throws {
        let tree = try DTBFile.load(file)
        print(DTSPrinter.dts(tree, labels: !noLabels), terminator: "")
    }
}

struct DTEncode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Decode a DTB into the model and encode it again (dtc's layout, version 17).",
        discussion: "Example: xen-board dt encode in.dtb -o out.dtb   (byte-identical to `dtc -I dtb -O dtb in.dtb`)"
    )

    @Argument(help: "The .dtb file.") var file: String
    @Option(name: .shortAndLong, help: "Output file (written atomically).") var output: String
    @OptionGroup var placement: PlacementOptions

    func run() throws {
        let tree = try DTBFile.load(file)
        try DTBFile.write(tree, to: output, force: placement.force)
    }
}
