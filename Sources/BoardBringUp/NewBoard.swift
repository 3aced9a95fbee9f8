import BoardBuild
import BoardFile
import DeviceTree
import Foundation
import Infrastructure
import XenArm

/// A `xen-board new` failure: what (a file, an option or a board name) and why. Nothing has been written.
public struct NewBoardError: Error, CustomStringConvertible {
    public let file: String
    public let detail: String
    public init(file: String, detail: String) { self.file = file; self.detail = detail }
    public var description: String { "\(file): \(detail)" }
}

/// `xen-board new`: a board file from a DTB, checked by the board-file parser before it is placed.
public enum NewBoard {
    public enum DTB: Equatable, Sendable {
        /// A DTB file; the board file refers to it relative to the board directory when it can.
        case file(String)
        /// A path inside Debian's kernel package DTB directory (`[dtb] kernel-dtb`).
        case kernelPackage(String)
    }

    public struct Request {
        public var name: String
        public var dtb: DTB
        public var arch: Architecture?
        public var qemu: NewBoardPlan.QEMU?
        /// The board directory (`boards/`).
        public var boards: String
        /// `[xen] version` to write (nil: the architecture's default, not written).
        public var xenVersion: XenVersion?
        public init(name: String, dtb: DTB, arch: Architecture? = nil, qemu: NewBoardPlan.QEMU? = nil, boards: String, xenVersion: XenVersion? = nil) {
            self.name = name; self.dtb = dtb; self.arch = arch; self.qemu = qemu; self.boards = boards; self.xenVersion = xenVersion
        }
    }

    public struct Result {
        public let file: String
        public let plan: NewBoardPlan
        /// What to run next, in order.
        public let nextCommands: [String]

        /// For people: the file written, what it says in short, and the next commands.
        public var summary: String {
            var out = ["\(plan.name): wrote \(file) (\(plan.description))"]
            if let c = plan.console { out.append("  console: \(c.path)\(c.key.map { " ([xen] console = \"\($0)\")" } ?? " (stdout-path)")") }
            else { out.append("  console: none xen-board can drive (set [xen] console)") }
            out += plan.generated.map { "  generated: \($0)" }
            out += plan.open.map { "  needs a person: \($0.key ?? "device tree"): \($0.what)" }
            out.append("next:")
            out += nextCommands.map { "  \($0)" }
            return out.joined(separator: "\n")
        }
    }

    /// Checks everything (name free, DTB readable, QEMU machine known), then writes `boards/NAME.toml`.
    public static func create(_ request: Request, progress: @escaping (String) -> Void) throws -> Result {
        try checkName(request.name)
        let file = request.boards + "/" + request.name + ".toml"
        guard !FileManager.default.fileExists(atPath: file) else {
            throw NewBoardError(file: file, detail: "board '\(request.name)' exists; choose another name (new never overwrites a board)")
        }
        let (tree, key, value, source) = try loadTree(request, progress: progress)
        let arch = request.arch ?? Architecture.infer(from: tree)
        if let q = request.qemu { try QEMUMachines.require(q.machine, arch: arch) }
        let plan = NewBoardPlan(name: request.name, dtbKey: key, dtbValue: value, dtbSource: source, tree: tree, arch: arch, qemu: request.qemu,
                                xenVersion: request.xenVersion)
        if let v = request.xenVersion, !plan.xenFromSource, let problem = v.requirePrebuilt(arch) {
            throw NewBoardError(file: "--xen-version", detail: "\(problem)")
        }
        let text = plan.text
        // The file must read back as a valid board: a parser error here is xen-board's bug, not the user's.
        do {
            _ = try BoardFileParser.parse(text, name: request.name, file: file, directory: request.boards)
        } catch {
            throw NewBoardError(file: file, detail: "internal error: the board file new made does not parse: \(error)")
        }
        try OutputPlacement.writeFile(Array(text.utf8), to: file)
        return Result(file: file, plan: plan, nextCommands: nextCommands(plan))
    }

    static func checkName(_ name: String) throws {
        let ok = !name.isEmpty && name.count <= 64 && name.first != "." && name.first != "-"
            && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" || $0 == "." }
        guard ok else {
            throw NewBoardError(file: "NAME", detail: "'\(name)' is not a board name: use lower-case letters, digits, '-', '_' and '.' (at most 64, not starting with '.' or '-')")
        }
    }

    static func loadTree(_ r: Request, progress: @escaping (String) -> Void) throws -> (DeviceTree, String, String, String) {
        switch r.dtb {
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw NewBoardError(file: path, detail: FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file")
            }
            let tree: DeviceTree
            do { tree = try DTBDecoder.decode([UInt8](data)) } catch {
                throw NewBoardError(file: path, detail: "not a device tree blob: \(error)")
            }
            return (tree, "path", relative(path, to: r.boards), path)
        case .kernelPackage(let rel):
            guard !rel.isEmpty, !rel.hasPrefix("/"), !rel.split(separator: "/").contains(".."), !rel.contains(where: { "*?[".contains($0) }) else {
                throw NewBoardError(file: "--kernel-dtb", detail: "'\(rel)' must be a relative path inside the kernel package's DTB directory, e.g. arm/juno-r2.dtb")
            }
            // Debian's arm64 kernels keep DTBs in vendor directories; armmp's are flat.
            let arch = r.arch ?? (rel.contains("/") ? .arm64 : .arm32)
            let (bytes, source) = try KernelPackageDTB.read(rel, arch: arch, version: XenVersion.defaultVersion(for: arch), progress: progress)
            do { return (try DTBDecoder.decode(bytes), "kernel-dtb", rel, source) } catch {
                throw NewBoardError(file: source, detail: "not a device tree blob: \(error)")
            }
        }
    }

    /// `path` relative to the board directory when it is below the same parent, else absolute.
    static func relative(_ path: String, to boards: String) -> String {
        let abs = URL(fileURLWithPath: path).standardizedFileURL.path
        let base = URL(fileURLWithPath: boards).standardizedFileURL.path
        if abs.hasPrefix(base + "/") { return String(abs.dropFirst(base.count + 1)) }
        let parent = URL(fileURLWithPath: base).deletingLastPathComponent().path
        if abs.hasPrefix(parent + "/") { return "../" + abs.dropFirst(parent.count + 1) }
        return abs
    }

    static func nextCommands(_ p: NewBoardPlan) -> [String] {
        let dtb = p.dtbKey == "path" ? p.dtbSource : "out/\(p.name)/board.dtb"
        var out = p.dtbKey == "path" ? ["xen-board inspect \(dtb) --arch \(p.arch.rawValue)   # the full analysis"] : []
        out.append("xen-board build \(p.name)\(p.xenFromSource ? "   # builds Xen from Debian's source with the generated port" : "")")
        if p.dtbKey != "path" { out.append("xen-board inspect \(dtb) --arch \(p.arch.rawValue)   # the full analysis") }
        if !p.generated.isEmpty { out.append("xen-board gen \(p.name)   # the generated port, to read or send upstream") }
        if p.qemu != nil { out.append("xen-board boot \(p.name)   # then set status = \"ci-boot\" once a CI test boots it") }
        return out
    }
}
