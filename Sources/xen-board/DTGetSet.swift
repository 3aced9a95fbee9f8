import ArgumentParser
import DeviceTree

struct DTGet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Print a node (as DTS) or one property's value (like fdtget).",
        discussion: """
        Examples:
          xen-board dt get board.dtb /chosen                  the node as DTS
          xen-board dt get board.dtb serial0 reg -t u32       0x0 0x1c090000 0x0 0x1000
          xen-board dt get board.dtb / compatible -t strings  one string per line
        """
    )

    @Argument(help: "The .dtb file.") var file: String
    @Argument(help: "Node path or alias.") var node: String
    @Argument(help: "Property name (omit to print the whole node).") var property: String?
    @Option(name: [.customShort("t"), .long], help: ArgumentHelp("Value type for PROPERTY. \(ValueType.helpText)"))
    var type: ValueType = .auto

    func run() throws {
        let tree = try DTBFile.load(file)
        let n = try resolveNode(node, in: tree, file: file)
        guard let name = property else {
            print(DTSPrinter.dts(node: n), terminator: "")
            return
        }
        guard let p = n.property(name) else {
            throw InputError(file: file, detail: "node \(n.path) has no property '\(name)'")
        }
        do {
            print(try ValueCodec.format(p, as: type))
        } catch let e as ValidationError {
            throw InputError(file: file, detail: "\(n.path): \(e.message)")
        }
    }
}

struct DTSet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Set a property and write the result (like fdtput; the blob grows as needed).",
        discussion: """
        Examples:
          xen-board dt set board.dtb /chosen xen,xen-bootargs "console=dtuart dtuart=serial0" -t string -o out.dtb
          xen-board dt set board.dtb /chosen '#address-cells' 2 -o out.dtb          (numbers -> u32 cells)
          xen-board dt set board.dtb /chosen/module@0 compatible multiboot,kernel multiboot,module -t strings --create -o out.dtb
        """
    )

    @Argument(help: "The .dtb file.") var file: String
    @Argument(help: "Node path or alias.") var node: String
    @Argument(help: "Property name.") var property: String
    @Argument(help: "Value(s).") var values: [String] = []
    @Option(name: [.customShort("t"), .long], help: ArgumentHelp("Value type. \(ValueType.helpText)"))
    var type: ValueType = .auto
    @Flag(help: "Create the node (and missing parents) when NODE is an absolute path that does not exist.")
    var create = false
    @Option(name: .shortAndLong, help: "Output file (written atomically; may be FILE itself).") var output: String
    @OptionGroup var placement: PlacementOptions

    func run() throws {
        let tree = try DTBFile.load(file)
        let value = try ValueCodec.parse(values, as: type)
        do {
            try PropertyEdit.set(property, value, at: node, create: create, in: tree)
        } catch PropertyEdit.Failure.noNode {
            _ = try resolveNode(node, in: tree, file: file)
            return
        } catch PropertyEdit.Failure.breaksTree(let problem) {
            // Never write what `dt check` rejects.
            throw InputError(file: output, detail: "not written: \(problem)")
        } catch let e as PropertyEdit.Failure {
            throw InputError(file: file, detail: e.description)
        }
        try DTBFile.write(tree, to: output, force: placement.force)
    }
}
