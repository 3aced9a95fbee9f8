import Foundation
import XenArm

/// An edit to a file already in Xen's tree: text inserted before or after an anchor, or appended. Data, so `gen` can
/// show it and `xen` can apply it to any copy of the tree.
public struct TreeEdit: Sendable, Equatable {
    public enum Placement: Sendable, Equatable {
        case append
        /// Before the first occurrence of the anchor.
        case before(String)
        /// After the first occurrence of the anchor.
        case after(String)
        /// The first occurrence of the anchor replaced by the text.
        case replacing(String)
    }

    public let path: String
    public let placement: Placement
    public let text: String
    /// Why the edit is there (for READMEs and patches).
    public let purpose: String

    /// The file's text with the edit applied; an error names the file when the anchor is missing. Applying an edit
    /// whose text is already present returns the text unchanged, so applying twice is harmless.
    public func apply(to original: String) throws(UARTDescriptionError) -> String {
        if original.contains(text) { return original }
        switch placement {
        case .append:
            return original + (original.hasSuffix("\n") || original.isEmpty ? "" : "\n") + text
        case .before(let anchor), .after(let anchor), .replacing(let anchor):
            guard let r = original.range(of: anchor) else {
                throw UARTDescriptionError(file: path, key: "", message: "no \(anchor.debugDescription) to place the generated \(purpose) next to (is this Xen's tree of the expected version?)")
            }
            var s = original
            switch placement {
            case .before: s.insert(contentsOf: text, at: r.lowerBound)
            case .replacing: s.replaceSubrange(r, with: text)
            default: s.insert(contentsOf: text, at: r.upperBound)
            }
            return s
        }
    }
}

extension TreeEdit {
    /// The touched files with every edit applied in order, originals read through `original` (path -> text).
    public static func applyAll(_ edits: [TreeEdit], original: (String) throws -> String) throws -> [(path: String, text: String)] {
        var edited: [(path: String, text: String)] = []
        for e in edits {
            if let i = edited.firstIndex(where: { $0.path == e.path }) {
                edited[i].text = try e.apply(to: edited[i].text)
            } else {
                edited.append((e.path, try e.apply(to: try original(e.path))))
            }
        }
        return edited
    }
}

/// Everything a generated UART driver adds to Xen's tree: new files (the C driver, an early-printk `.inc` per
/// architecture) and edits to existing ones (the driver's `HAS_*` Kconfig symbol and Makefile line, the
/// Kconfig.debug choice entry, its `EARLY_UART_*` symbol and `EARLY_PRINTK_INC` default), plus the config lines
/// that select it.
public struct UARTDriverPort: Sendable {
    public let uart: ResolvedUART
    public let layout: XenLayout
    /// `HAS_XB_IMX_UART`.
    public let kconfigSymbol: String
    /// `EARLY_UART_CHOICE_XB_IMX_UART`.
    public let earlyPrintkChoice: String
    /// Where early printk is generated: both architectures, unless the layout has no free scratch register for a
    /// transmit that needs one (Xen 4.20 arm32); the choice entry then depends on the other architecture.
    public let earlyPrintkArchitectures: [Architecture]
    /// New files, paths relative to the top of Xen's source.
    public let files: [(path: String, text: String)]
    public let edits: [TreeEdit]

    public init(_ u: ResolvedUART, layout: XenLayout) throws(UARTDescriptionError) {
        uart = u
        self.layout = layout
        let P = u.macroPrefix
        kconfigSymbol = "HAS_\(P)"
        earlyPrintkChoice = "EARLY_UART_CHOICE_\(P)"
        let stem = DriverC.fileStem(u)
        var files = [(path: "\(layout.driverDirectory)/\(stem).c", text: DriverC.render(u, layout: layout))]
        var early: [Architecture] = []
        for arch in [Architecture.arm32, .arm64] {
            let text: String
            do { text = try EarlyPrintkAsm.render(u, arch: arch, layout: layout) } catch {
                // Only the missing scratch register of a layout that has none is survivable: the other arch keeps it.
                guard layout.scratch(arch).isEmpty else { throw error }
                continue
            }
            files.append(("\(layout.includeDirectory(arch))/\(EarlyPrintkAsm.includeName(u))", text))
            early.append(arch)
        }
        guard !early.isEmpty else { throw UARTDescriptionError(file: u.file, key: "earlyPrintk", message: "no architecture can run its early printk with Xen \(layout.version)") }
        earlyPrintkArchitectures = early
        self.files = files
        edits = Self.edits(u, layout: layout, symbol: kconfigSymbol, choice: earlyPrintkChoice, stem: stem,
                           dependsOn: early.count == 1 ? (early[0] == .arm64 ? "ARM_64" : "ARM_32") : nil)
    }

    static func edits(_ u: ResolvedUART, layout: XenLayout, symbol: String, choice: String, stem: String,
                      dependsOn: String? = nil) -> [TreeEdit] {
        let early = "EARLY_UART_\(u.macroPrefix)"
        let title = u.description.title.replacingOccurrences(of: "\"", with: "'")
        let kconfig = "\nconfig \(symbol)\n\tbool \"\(title) driver (generated by xen-board)\"\n\tdefault y\n\tdepends on ARM\n\thelp\n"
            + "\t  Xen console driver for the \(title), generated by xen-board from its\n"
            + "\t  UART description \"\(u.description.name)\".\n"
        let entry = "\tconfig \(choice)\n\t\tselect \(early)\n\t\tbool \"Early printk via \(title) (generated by xen-board)\"\n"
            + (dependsOn.map { "\t\tdepends on \($0)\n" } ?? "")
            + "\t\thelp\n\t\t\tSay Y here if you wish the early printk to direct their\n\t\t\toutput to a \(title).\n"
        return [
            TreeEdit(path: layout.driverKconfig, placement: .append, text: kconfig, purpose: "driver Kconfig symbol"),
            TreeEdit(path: layout.driverMakefile, placement: .append, text: "obj-$(CONFIG_\(symbol)) += \(stem).o\n",
                     purpose: "driver Makefile line"),
            TreeEdit(path: layout.debugKconfig, placement: .before(layout.earlyChoiceEnd), text: "\n" + String(entry.dropLast()),
                     purpose: "early printk choice entry"),
            TreeEdit(path: layout.debugKconfig, placement: .before(layout.earlyPrintkSymbol),
                     text: "\nconfig \(early)\n\tselect EARLY_PRINTK\n\tbool", purpose: "early printk UART symbol"),
            TreeEdit(path: layout.debugKconfig, placement: .after(layout.earlyIncludeDefaults),
                     text: "\tdefault \"\(EarlyPrintkAsm.includeName(u))\" if \(early)\n", purpose: "EARLY_PRINTK_INC default"),
        ]
    }

    /// The new files plus the edited versions of the files the edits touch, read through `original` (a path
    /// relative to the tree -> its current text): what to write into a copy of Xen's tree.
    public func treeFiles(original: (String) throws -> String) throws -> [(path: String, text: String)] {
        files + (try TreeEdit.applyAll(edits, original: original))
    }

    /// Config lines that build the driver and, given the console's physical base, send early printk through it.
    public func configLines(earlyPrintkBase: UInt64?) -> [String] {
        var lines = ["CONFIG_\(kconfigSymbol)=y"]
        if let base = earlyPrintkBase {
            lines += ["CONFIG_EXPERT=y", "CONFIG_\(earlyPrintkChoice)=y", "CONFIG_EARLY_UART_BASE_ADDRESS=0x" + String(base, radix: 16)]
        }
        return lines
    }
}
