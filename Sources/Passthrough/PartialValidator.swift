import DeviceTree
import XenArm

/// Replays Xen 4.17's parsing of a partial device tree offline (rules 1-14 and 17-19; Xen 4.17 ignores errors in
/// child nodes at boot, rule 22). Each problem names the node, the property and the rule.
public enum PartialValidator {
    /// Validates an encoded partial tree: rule 1 (a valid FDT, checked by libfdt), then `validate(_:host:)`.
    public static func validate(blob: [UInt8], host: DeviceTree?) -> [String] {
        let tree: DeviceTree
        do { tree = try DTBDecoder.decode(blob) } catch {
            return ["rule 1: Partial FDT is not a valid Flat Device Tree: \(error)"]
        }
        var problems = validate(tree, host: host)
        if blob.count > Passthrough.guestDTBudget {
            problems.append("rule 6: partial tree is \(blob.count) bytes; Xen 4.17 builds the guest DT in \(Passthrough.guestDTBudget) bytes")
        }
        return problems
    }

    /// Problems with `partial` (empty when valid). With `host`, also checks that every `xen,path` exists there and
    /// that `xen,reg` host ranges match the host node's translated `reg` (page aligned).
    public static func validate(_ partial: DeviceTree, host: DeviceTree?) -> [String] {
        let v = PartialChecks(partial: partial, host: host)
        v.run()
        return v.problems
    }
}
