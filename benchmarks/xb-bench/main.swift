// Decodes and re-encodes every DTB listed in a file, in one process, and reports the time spent.
// Usage: xb-bench LIST [--no-validate] [--out DIR]
//   LIST: a file with one DTB path per line. --out writes each re-encoded blob as DIR/<index>.dtb.
import DeviceTree
import Foundation

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

let clock = ContinuousClock()
var nodes = 0, properties = 0, bytes = 0, failures = 0
let elapsed = clock.measure {
    for (index, path) in paths.enumerated() {
        guard let data = FileManager.default.contents(atPath: path) else {
            FileHandle.standardError.write(Data("\(path): cannot read\n".utf8)); failures += 1; continue
        }
        let blob = [UInt8](data)
        bytes += blob.count
        do {
            let tree = try DTBDecoder.decode(blob, validate: validate)
            let out = try DTBEncoder.encode(tree, validate: validate)
            tree.forEachNode { nodes += 1; properties += $0.properties.count }
            if let outDir {
                try Data(out).write(to: URL(fileURLWithPath: "\(outDir)/\(index).dtb"))
            }
        } catch {
            FileHandle.standardError.write(Data("\(path): \(error)\n".utf8)); failures += 1
        }
    }
}
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print("files=\(paths.count) bytes=\(bytes) nodes=\(nodes) properties=\(properties) failures=\(failures) seconds=\(String(format: "%.4f", seconds))")
exit(failures == 0 ? 0 : 1)
