import DeviceTree
import Foundation

/// Small seeds made from big corpus DTBs. A whole kernel DTB (30-150 KiB) costs the decoder target ~2 ms per
/// execution, so 10 million executions would take days; trees of the root's properties plus one top-level subtree
/// keep the real shapes (cells, ranges, interrupt maps, aliases) at a few hundred bytes each.
public enum FuzzSeeds {
    /// Blobs of at most `maxSize` bytes, one per top-level node of `blob` (duplicates removed by the caller).
    public static func smallTrees(of blob: [UInt8], maxSize: Int = 4096) -> [[UInt8]] {
        guard let tree = try? DTBDecoder.decode(blob) else { return [] }
        let rootProperties = tree.root.properties
        return tree.root.children.compactMap { child in
            let small = DeviceTree(root: Node(name: "", properties: rootProperties, children: [child]),
                                   memoryReservations: tree.memoryReservations, bootCPUID: tree.bootCPUID)
            guard let out = try? DTBEncoder.encode(small), out.count <= maxSize else { return nil }
            return out
        }
    }

    /// `fuzz-dtb --make-seeds OUTDIR DTB...`: writes the distinct small trees of every DTB into OUTDIR.
    static func make(arguments: [String]) -> Int32 {
        guard let outDir = arguments.first else { return 2 }
        var seen = Set<[UInt8]>()
        for path in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            for seed in smallTrees(of: [UInt8](data)) where seen.insert(seed).inserted {
                // Named by content (FNV-1a), so several invocations (xargs) into one directory do not collide.
                let hash = seed.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
                let file = "\(outDir)/small-\(String(hash, radix: 16)).dtb"
                guard FileManager.default.createFile(atPath: file, contents: Data(seed)) else { return 1 }
            }
        }
        print("fuzz: \(seen.count) small trees")
        return 0
    }
}
