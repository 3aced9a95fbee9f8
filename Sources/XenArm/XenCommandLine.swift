/// Xen's command line (`/chosen/xen,xen-bootargs`), built from typed values so no consumer has to take a
/// bootargs string apart again.
public struct XenCommandLine: Equatable, Sendable {
    /// Value of `dtuart=` (an alias or a node path); nil leaves the console to Xen's defaults.
    public var dtuart: String?
    /// `dom0_mem=`, e.g. `512M`.
    public var dom0Memory: String?
    /// `dom0_max_vcpus=`.
    public var dom0MaxVCPUs: Int?
    /// The board file's `[xen] bootargs`, appended verbatim.
    public var extra: String
    /// What the board's dom0less properties need (`llc-coloring=on` for `llc-colors`), before `extra`.
    public var features: [String] = []

    public init(dtuart: String?, dom0Memory: String? = nil, dom0MaxVCPUs: Int? = nil, extra: String = "") {
        self.dtuart = dtuart
        self.dom0Memory = dom0Memory
        self.dom0MaxVCPUs = dom0MaxVCPUs
        self.extra = extra
    }

    public var arguments: [String] {
        var out: [String] = []
        if let dtuart { out += ["console=dtuart", "dtuart=\(dtuart)"] }
        if let dom0Memory { out.append("dom0_mem=\(dom0Memory)") }
        if let dom0MaxVCPUs { out.append("dom0_max_vcpus=\(dom0MaxVCPUs)") }
        out += features
        if !extra.isEmpty { out.append(extra) }
        return out
    }

    public var text: String { arguments.joined(separator: " ") }
}
