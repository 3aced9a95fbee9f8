import BoardBuild
import BoardFile
import BoardModel
import DeviceTree
import Passthrough

/// One input of each fuzz target: what the CLI does with a hostile file, minus the file system. Any input may be
/// rejected with an error; a trap, a stack overflow or a hang is a finding. The replay tests (Tests/FuzzTests) run
/// every committed finding through these same functions.
public enum FuzzTargets {
    /// The DTB decoder on its own (without libfdt's pre-check, so the decoder's own bounds checks are what is
    /// exercised), then libfdt's check, and for a blob both accept: encode, decode again, same tree.
    public static func dtb(_ bytes: [UInt8]) {
        guard let tree = try? DTBDecoder.decode(bytes, validate: false) else { return }
        _ = tree.allNodes.map(\.path)
        guard (try? LibFDT.check(bytes)) != nil else { return }
        guard let again = try? DTBEncoder.encode(tree) else { fatalError("a decoded, libfdt-valid tree does not encode") }
        guard (try? DTBDecoder.decode(again)) != nil else { fatalError("an encoded tree does not decode") }
    }

    /// The board-file reader: bytes as read from disk (UTF-8 check included), TOML, then the schema.
    public static func boardFile(_ bytes: [UInt8]) {
        _ = try? BoardFileParser.parse(bytes: bytes, name: "fuzz", file: "fuzz.toml", directory: "/nonexistent")
    }

    /// `dtb-passthrough`'s extraction. Byte 0 chooses the devices (see `PassthroughSelector`), the rest is the host
    /// DTB; then the partial blob is validated as `dtb-passthrough` does.
    public static func passthrough(_ bytes: [UInt8]) {
        guard let selector = bytes.first, let host = try? DTBDecoder.decode(Array(bytes.dropFirst())) else { return }
        let devices = PassthroughSelector.devices(in: host, selector: selector)
        guard !devices.isEmpty else { return }
        let policy: GuestAddressPolicy = selector & 0x20 == 0 ? .auto : .identity
        guard let result = try? Passthrough.extract(host: host, facts: HostFacts(BoardModel(tree: host)), devices: devices, guestAddress: policy,
                                                    allowShared: selector & 0x10 != 0) else { return }
        _ = PartialValidator.validate(blob: result.partialBlob, host: host)
        _ = result.xlConfig()
    }
}

/// Picks the devices of one passthrough input from its selector byte: bits 0-3 the index among the nodes with a
/// `reg` (modulo their count), bit 7 adds the next such node too, bit 6 names them by an alias when one exists
/// (so alias resolution is fuzzed as well), bit 5 the guest-address policy, bit 4 `allowShared`.
public enum PassthroughSelector {
    public static func devices(in host: DeviceTree, selector: UInt8) -> [String] {
        let candidates = host.allNodes.filter { $0.hasProperty("reg") && !$0.isRoot }
        guard !candidates.isEmpty else { return [] }
        let first = Int(selector & 0x0f) % candidates.count
        var picked = [candidates[first]]
        if selector & 0x80 != 0 { picked.append(candidates[(first + 1) % candidates.count]) }
        let aliases = host.aliases
        return picked.map { node in
            if selector & 0x40 != 0, let alias = aliases.first(where: { $0.path == node.path }) { return alias.name }
            return node.path
        }
    }

    /// A seed for the passthrough target: the selector byte followed by a host DTB.
    public static func seed(selector: UInt8, dtb: [UInt8]) -> [UInt8] { [selector] + dtb }
}
