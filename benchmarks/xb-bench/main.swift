// Decodes and re-encodes every DTB listed in a file, in one process, and reports the time spent.
// Usage: xb-bench LIST [--no-validate] [--out DIR]
//   LIST: a file with one DTB path per line. --out writes each re-encoded blob as DIR/<index>.dtb.
// A first, untimed pass counts nodes and properties (and writes --out files); the timed pass is
// read + decode + encode (+ libfdt validation of input and output unless --no-validate), nothing else.
import DeviceTree
import Foundation

struct Totals { var bytes = 0, nodes = 0, properties = 0, failures = 0 }

func pass(_ paths: [String], validate: Bool, count: Bool, outDir: String?) -> Totals {
    var t = Totals()
    for (index, path) in paths.enumerated() {
        guard let data = FileManager.default.contents(atPath: path) else {
            FileHandle.standardError.write(Data("\(path): cannot read\n".utf8)); t.failures += 1; continue
        }
        let blob = [UInt8](data)
        t.bytes += blob.count
        do {
            let tree = try DTBDecoder.decode(blob, validate: validate)
            let out = try DTBEncoder.encode(tree, validate: validate)
            if count { tree.forEachNode { t.nodes += 1; t.properties += $0.properties.count } }
            if let outDir { try Data(out).write(to: URL(fileURLWithPath: "\(outDir)/\(index).dtb")) }
        } catch {
            FileHandle.standardError.write(Data("\(path): \(error)\n".utf8)); t.failures += 1
        }
    }
    return t
}

var args = Array(CommandLine.arguments.dropFirst())
var validate = true
var outDir: String?
if let i = args.firstIndex(of: "--no-validate") { validate = false; args.remove(at: i) }
if let i = args.firstIndex(of: "--out"), i + 1 < args.count { outDir = args[i + 1]; args.removeSubrange(i...(i + 1)) }
guard args.count == 1, let list = try? String(contentsOfFile: args[0], encoding: .utf8) else {
    FileHandle.standardError.write(Data("usage: xb-bench LIST [--no-validate] [--out DIR]\n".utf8))
    exit(2)
}
let paths = list.split(separator: "\n").map(String.init)
let counted = pass(paths, validate: validate, count: true, outDir: outDir)
var timed = Totals()
let elapsed = ContinuousClock().measure { timed = pass(paths, validate: validate, count: false, outDir: nil) }
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let failures = max(counted.failures, timed.failures)
print("files=\(paths.count) bytes=\(timed.bytes) nodes=\(counted.nodes) properties=\(counted.properties) failures=\(failures) seconds=\(String(format: "%.4f", seconds))")
exit(failures == 0 ? 0 : 1)
