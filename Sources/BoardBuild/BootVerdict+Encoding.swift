import Foundation
import ImageComposer

/// The verdict as `boot` prints it: one line of text, or JSON (keys kept stable for scripts and BootTests).
extension BootVerdict {
    /// "Xen 4.17.5 and Dom0 up, 2 CPUs, in 12.3 s" on success; the first cause, how the run stopped and what the
    /// report said on failure.
    public var summary: String {
        guard let failure else {
            let reset = outcome.reset ? ", machine reset on Dom0's reboot" : ""
            return "Xen \(dom0Report?.values("xen_version").first ?? "?") and Dom0 up, \(dom0CPUs ?? 0) CPUs\(reset), in \(String(format: "%.1f", outcome.seconds)) s"
        }
        var why = failure.description
        switch stop {
        case .fatal(let line): why += "; stopped at \"\(line)\""
        case .timedOut: why += " after \(Int(outcome.timeout)) s timeout"
        case .qemuExited: why += "; QEMU exited first"
        case nil: break
        }
        if dom0Report != nil {
            func show(_ v: Int?) -> String { v.map(String.init) ?? "?" }
            why += "; report: hypervisor=\(hypervisor ?? "?") cpus=\(show(dom0CPUs)) Xen brought up \(show(xenCPUs)), expected \(show(expectedCPUs))"
        }
        return why
    }

    /// `boot --json`'s object (for JSONSerialization: absent values are NSNull).
    public func jsonObject(board: String) -> [String: Any] {
        var j: [String: Any] = ["board": board, "ok": ok, "seconds": outcome.seconds]
        j["hypervisor"] = hypervisor ?? NSNull()
        j["dom0CPUs"] = dom0CPUs ?? NSNull()
        j["xenCPUs"] = xenCPUs ?? NSNull()
        j["expectedCPUs"] = expectedCPUs ?? NSNull()
        if expectsReset { j["reset"] = outcome.reset }
        if expectsToolstack {
            j["xlDomains"] = (dom0Report?.xlDomains ?? []).map { ["name": $0.name, "id": $0.id, "memoryMiB": $0.memoryMiB] as [String: Any] }
        }
        if checkedInput { j["inputHelpSeconds"] = outcome.inputHelp ?? NSNull() }
        j["milestones"] = outcome.seen.map { ["name": $0.name, "seconds": $0.seconds] as [String: Any] }
        j["report"] = Self.fields(dom0Report)
        j["domains"] = domains.map { ["domain": $0.name, "report": Self.fields($0.report)] as [String: Any] }
        return j
    }

    /// Console text can carry control characters: keep report values printable.
    static func fields(_ report: BootReport?) -> [[String: String]] {
        func clean(_ s: String) -> String { String(String.UnicodeScalarView(s.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7f })) }
        return report?.fields.map { ["key": $0.key, "value": clean($0.value)] } ?? []
    }
}

extension BootVerdict.Failure: CustomStringConvertible {
    public var description: String {
        switch self {
        case .missedMilestone(let m): return "missed milestone: \(m.name) (\"\(m.marker)\")"
        case .noInputHelp: return "Xen printed no debug-key help after CTRL-a x3 and 'h' (the console driver does not receive)"
        case .noReset: return "Dom0 asked for a reboot but the machine did not reset (Xen's banner did not reappear)"
        case .missingReports(let names): return "no report from \(names.joined(separator: ", "))"
        case .wrongReport: return "a domain's report is wrong"
        case .toolstackDown: return "Dom0's toolstack is not up (the report needs xenstored=running, and Domain-0 and every [[guest]] in xl list)"
        case .pvDevice(let problem): return "PV devices: \(problem)"
        }
    }
}
