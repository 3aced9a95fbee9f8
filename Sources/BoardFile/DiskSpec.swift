/// One virtual disk of a guest, written in xl's disk syntax (xl-disk-configuration(5)): keyed
/// (`"format=raw,vdev=xvda,access=ro,target=disks/data.img"`, `target=` last: the rest of the spec is the path) or
/// positional (`"disks/data.img,raw,xvda,ro"`: target, format, vdev, access). The target is a file the board names
/// (relative to the board file); `build` carries it into the backend domain's root filesystem and blkback serves it.
public struct DiskSpec: Equatable, Sendable {
    public enum Access: String, Sendable { case readOnly = "ro", readWrite = "rw" }

    /// The host file (absolute).
    public var target = ""
    /// The guest's device (`xvda`, `xvdb`, ...; `xvda1` for a partition-sized disk).
    public var vdev = ""
    public var access: Access = .readWrite
    public var backend: BackendDomain = .dom0
    /// The hotplug script (`script=`; xl's default: block).
    public var script: String?
    /// `discard` / `no-discard` when written.
    public var discard: Bool?

    static let keys = ["target", "format", "vdev", "access", "devtype", "backend", "backendtype", "script",
                       "discard", "no-discard"]

    /// `absolute` makes a relative target absolute (the board file's directory).
    public init(_ text: String, absolute: (String) -> String = { $0 }) throws(XLSpecError) {
        var positional = 0
        for s in try XLSpec.settings(text, restKey: "target") {
            if let key = s.key {
                try set(key, s.value)
            } else if ["discard", "no-discard"].contains(s.value) {
                discard = s.value == "discard"
            } else {
                guard positional < 4 else { throw XLSpecError("'\(s.value)': at most 4 positional parameters (target, format, vdev, access)") }
                try set(["target", "format", "vdev", "access"][positional], s.value)
                positional += 1
            }
        }
        guard !target.isEmpty else { throw XLSpecError("disk needs a target (the file it serves), e.g. target=disks/data.img") }
        guard !vdev.isEmpty else { throw XLSpecError("disk needs a vdev, e.g. vdev=xvda") }
        target = absolute(target)
    }

    private mutating func set(_ key: String, _ value: String) throws(XLSpecError) {
        switch key {
        case "target":
            guard !value.isEmpty, !value.utf8.contains(0), !value.contains("\n") else {
                throw XLSpecError("target must be a file path (not empty, no NUL or newline)")
            }
            target = value
        case "format":
            guard value == "raw" else {
                throw XLSpecError("format '\(value)': only raw is served (qcow, qcow2, vhd and qed need QEMU's qdisk backend, which Dom0 does not run)")
            }
        case "vdev": try Self.checkVdev(value); vdev = value
        case "access":
            switch value {
            case "r", "ro": access = .readOnly
            case "w", "rw": access = .readWrite
            default: throw XLSpecError("access '\(value)' must be ro or rw")
            }
        case "devtype":
            guard value == "disk" else { throw XLSpecError("devtype '\(value)': only disk (a PV guest on Arm has no emulated cdrom)") }
        case "backend": backend = try BackendDomain(value)
        case "backendtype":
            guard value == "phy" else { throw XLSpecError("backendtype '\(value)': only phy (blkback); qdisk and tap need QEMU") }
        case "script": try XLSpec.checkName(value, "script", limit: 64); script = value
        default: throw XLSpecError("unknown disk key '\(key)' (known: \(Self.keys.joined(separator: ", ")))")
        }
    }

    /// `xvd` + 1 to 3 letters + an optional partition number of 1 to 2 digits (what blkfront names the device).
    static func checkVdev(_ value: String) throws(XLSpecError) {
        let body = value.hasPrefix("xvd") ? value.dropFirst(3) : ""
        let letters = body.prefix { ("a"..."z").contains($0) }
        let digits = body.dropFirst(letters.count)
        guard (1...3).contains(letters.count), digits.count <= 2, digits.allSatisfy(\.isNumber), digits.first != "0" else {
            throw XLSpecError("vdev '\(value)' must be a Xen virtual disk name like xvda or xvdb1 (blkfront's names; hd/sd emulation needs QEMU)")
        }
    }

    /// The spec as `xl block-attach` takes it, with `target` replaced by where the file is in the backend domain.
    public func xl(target path: String) -> String {
        var parts = ["format=raw", "vdev=\(vdev)", "access=\(access.rawValue)", "backend=\(backend)"]
        if let script { parts.append("script=\(script)") }
        if let discard { parts.append(discard ? "discard" : "no-discard") }
        return (parts + ["target=\(path)"]).joined(separator: ",")
    }
}
