import Foundation

/// A tiny independent newc reader, to check `CPIOArchive`'s bytes field by field.
struct CPIOReader {
    struct Member: Equatable {
        var inode: UInt32, mode: UInt32, uid: UInt32, gid: UInt32, nlink: UInt32, mtime: UInt32
        var devMajor: UInt32, devMinor: UInt32, rdevMajor: UInt32, rdevMinor: UInt32, check: UInt32
        var name: String
        var data: [UInt8]
        var headerOffset: Int
    }

    struct Malformed: Error, CustomStringConvertible { let description: String }

    static func read(_ bytes: [UInt8]) throws -> [Member] {
        var members: [Member] = []
        var at = 0
        while true {
            guard at + 110 <= bytes.count else { throw Malformed(description: "header at \(at) runs past the end") }
            guard String(decoding: bytes[at..<(at + 6)], as: UTF8.self) == "070701" else {
                throw Malformed(description: "bad magic at \(at)")
            }
            var fields: [UInt32] = []
            for i in 0..<13 {
                let s = at + 6 + i * 8
                guard let v = UInt32(String(decoding: bytes[s..<(s + 8)], as: UTF8.self), radix: 16) else {
                    throw Malformed(description: "bad hex field \(i) at \(s)")
                }
                fields.append(v)
            }
            let nameSize = Int(fields[11]), fileSize = Int(fields[6])
            let nameStart = at + 110
            guard nameSize >= 1, nameStart + nameSize <= bytes.count, bytes[nameStart + nameSize - 1] == 0 else {
                throw Malformed(description: "bad name at \(nameStart)")
            }
            let name = String(decoding: bytes[nameStart..<(nameStart + nameSize - 1)], as: UTF8.self)
            let dataStart = (nameStart + nameSize + 3) & ~3
            guard dataStart + fileSize <= bytes.count else { throw Malformed(description: "data of \(name) runs past the end") }
            members.append(Member(inode: fields[0], mode: fields[1], uid: fields[2], gid: fields[3], nlink: fields[4],
                                  mtime: fields[5], devMajor: fields[7], devMinor: fields[8], rdevMajor: fields[9],
                                  rdevMinor: fields[10], check: fields[12], name: name,
                                  data: Array(bytes[dataStart..<(dataStart + fileSize)]), headerOffset: at))
            at = (dataStart + fileSize + 3) & ~3
            if name == "TRAILER!!!" {
                guard at == bytes.count else { throw Malformed(description: "\(bytes.count - at) bytes after the trailer") }
                return members
            }
        }
    }
}
